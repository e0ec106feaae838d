import type { Redis } from 'ioredis';
import { CommandDeadlines, type TimedCommand } from './command-deadlines';
import { clientSecrets, failureText } from './failure-text';
import type { LuaScript } from './lua-script';
import type { RedisFleetEvent } from './redis-fleet-event';

/** What {@link FleetConnection.run} resolves with when Redis could not answer. */
export const UNAVAILABLE: unique symbol = Symbol('resilient.redis.unavailable');

/** Options of {@link FleetConnection}. */
export interface FleetConnectionOptions {
  /** How long one command may take before it counts as a failure, in ms. */
  readonly commandTimeoutMs: number;
  /** After a failure, how long commands resolve {@link UNAVAILABLE} without trying Redis, in ms. */
  readonly recheckMs: number;
  /** Receives `unavailable` and `recovered`. Its errors are caught. */
  readonly onEvent: (event: RedisFleetEvent) => void;
  /** The clock of events and of the recheck cool-down, in epoch ms. */
  readonly now: () => number;
}

/**
 * @internal The fleet's one way to talk to Redis: runs Lua scripts on the user's ioredis client and
 * never rejects or hangs. A failure or a timeout makes the connection unavailable (one `unavailable`
 * event); while it is, commands within `recheckMs` of the last failure resolve {@link UNAVAILABLE} at
 * once without touching Redis, so a dead server costs no timeout per call. After `recheckMs` one command
 * tries again; its success reports `recovered`.
 */
export class FleetConnection {
  /** The user's client (the circuit side duplicates it for pub/sub). */
  readonly redis: Redis;
  private readonly options: FleetConnectionOptions;
  private readonly secrets: readonly string[];
  /** One timer for every command in flight, instead of one per command. */
  private readonly deadlines: CommandDeadlines;
  private isAvailable = true;
  /** When the current outage began. */
  private unavailableSince = 0;
  /** When the last command failed. */
  private lastFailureAt = 0;
  /** Per client, the wait for its first connection, shared by the commands that arrive before it. */
  private readonly connecting = new WeakMap<Redis, Promise<boolean>>();
  /** The clients that were connected once: from then on, a client not ready is reconnecting. */
  private readonly everReady = new WeakSet<Redis>();
  /** Whether a command is testing Redis during an outage (one at a time). */
  private probing = false;

  constructor(redis: Redis, options: FleetConnectionOptions) {
    this.redis = redis;
    this.options = options;
    this.secrets = clientSecrets(redis);
    this.deadlines = new CommandDeadlines(options.commandTimeoutMs);
    this.track(redis);
  }

  /** Follows a client's first connection, for {@link FleetConnection.run} on it. */
  track(client: Redis): void {
    if (client.status === 'ready') this.everReady.add(client);
    else if (typeof client.once === 'function') client.once('ready', () => this.everReady.add(client));
  }

  /** True while Redis answers; false after a failure until a later command succeeds. */
  get available(): boolean {
    return this.isAvailable;
  }

  /**
   * Runs a Lua script. Resolves with its reply, or with {@link UNAVAILABLE} when Redis failed, timed out
   * (`commandTimeoutMs`) or is in its recheck cool-down. Never rejects, never hangs.
   *
   * Nothing is sent unless the client is connected: ioredis would hold the command in its offline queue
   * and send it once (re)connected, long after this call gave up and answered from local state, and a
   * breaker transition replayed that late could undo a newer one. Before the client's first connection,
   * a command waits for it, up to `commandTimeoutMs`.
   */
  run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
    client: Redis = this.redis,
  ): Promise<unknown> {
    const status = client.status;
    if (status !== 'ready') {
      if (this.everReady.has(client) || status === 'reconnecting' || status === 'close' || status === 'end') {
        this.failed(new Error(`${script.name}: the Redis connection is down (${status})`));
        return Promise.resolve(UNAVAILABLE);
      }
      if (!this.isAvailable && this.options.now() - this.lastFailureAt < this.options.recheckMs) {
        return Promise.resolve(UNAVAILABLE);
      }
      return this.firstConnection(client).then((connected) => {
        if (connected) return this.run(script, keys, args, client);
        this.failed(
          new Error(`${script.name}: no connection to Redis within ${this.options.commandTimeoutMs} ms`),
        );
        return UNAVAILABLE;
      });
    }
    const probe = !this.isAvailable;
    if (probe) {
      if (this.probing || this.options.now() - this.lastFailureAt < this.options.recheckMs) {
        return Promise.resolve(UNAVAILABLE);
      }
      this.probing = true;
    }
    return new Promise<unknown>((resolve) => {
      const settle = (reply: unknown, error: unknown): void => {
        if (probe) this.probing = false;
        if (error === undefined) {
          this.succeeded();
          resolve(reply);
        } else {
          this.failed(error);
          resolve(UNAVAILABLE);
        }
      };
      const timed: TimedCommand = {
        deadline: 0,
        settled: false,
        expire: () => {
          settle(undefined, new Error(`${script.name}: no reply within ${this.options.commandTimeoutMs} ms`));
        },
      };
      this.deadlines.add(timed);
      let command: Promise<unknown>;
      try {
        command = script.evaluate(client, keys, args);
      } catch (error) {
        command = Promise.reject(error);
      }
      // Both handlers are attached at once: a reply or a rejection after the timeout is simply ignored.
      command.then(
        (reply) => {
          if (timed.settled) return;
          timed.settled = true;
          settle(reply, undefined);
        },
        (error: unknown) => {
          if (timed.settled) return;
          timed.settled = true;
          settle(undefined, error ?? new Error(`${script.name} failed`));
        },
      );
    });
  }

  /**
   * Resolves true once `client` first connects; false after `commandTimeoutMs`, or when it ends before.
   * Shared by the commands that arrive meanwhile.
   */
  private firstConnection(client: Redis): Promise<boolean> {
    let waiting = this.connecting.get(client);
    if (waiting === undefined) {
      waiting = new Promise<boolean>((resolve) => {
        const done = (connected: boolean): void => {
          clearTimeout(timer);
          this.connecting.delete(client);
          client.removeListener('ready', ready);
          client.removeListener('end', ended);
          resolve(connected);
        };
        const ready = (): void => done(true);
        const ended = (): void => done(false);
        const timer = setTimeout(ended, this.options.commandTimeoutMs);
        timer.unref?.();
        client.once('ready', ready);
        client.once('end', ended);
        // A lazyConnect client connects on its first command; none is sent before it is ready.
        if (client.status === 'wait') client.connect().catch(() => {});
      });
      this.connecting.set(client, waiting);
    }
    return waiting;
  }

  private succeeded(): void {
    if (this.isAvailable) return;
    this.isAvailable = true;
    const at = this.options.now();
    this.emit({ type: 'recovered', unavailableForMs: Math.max(0, at - this.unavailableSince), at });
  }

  private failed(error: unknown): void {
    const at = this.options.now();
    this.lastFailureAt = at;
    if (!this.isAvailable) return;
    this.isAvailable = false;
    this.unavailableSince = at;
    this.emit({ type: 'unavailable', error: failureText(error, this.secrets), at });
  }

  private emit(event: RedisFleetEvent): void {
    try {
      this.options.onEvent(event);
    } catch {
      // A listener's failure must not break a call.
    }
  }
}
