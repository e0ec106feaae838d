import type { Redis } from 'ioredis';

const noop = (): void => {};

/**
 * @internal The fleet's subscription to its breakers' channel, on a connection of its own
 * (`redis.duplicate()`: a subscribed connection runs no other commands). `onLive` is called each time the
 * subscription is live, first and after every reconnection, so that members catch up on what they
 * missed; it is called only once SUBSCRIBE has answered, so no news can fall between the catch-up read
 * and the subscription. Errors surface elsewhere (the fleet's `unavailable` event); the connection
 * reconnects by itself.
 */
export class FleetSubscriber {
  private readonly subscriber: Redis;
  private live = false;
  private closed = false;

  constructor(redis: Redis, channel: string, onMessage: (message: string) => void, onLive: () => void) {
    const subscriber = redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', noop);
    subscriber.on('close', () => {
      this.live = false;
    });
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    // After a reconnection ioredis subscribes again by itself; asking once more is harmless, and its
    // answer says when the subscription is live.
    const subscribe = (): void => {
      subscriber.subscribe(channel).then(() => {
        if (this.closed || this.live) return;
        this.live = true;
        onLive();
      }, noop);
    };
    subscribe();
    subscriber.on('ready', () => {
      if (!this.closed && !this.live) subscribe();
    });
  }

  /** Whether the subscription is live now. */
  get isLive(): boolean {
    return this.live;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
