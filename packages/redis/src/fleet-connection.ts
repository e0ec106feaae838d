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
  /** The wait for the client's first connection, shared by the commands that arrive before it. */
  private connecting: Promise<boolean> | undefined = undefined;
  /** Whether the client was ever connected: from then on, a client not ready is reconnecting. */
  private wasReady = false;
  /** Whether a command is testing Redis during an outage (one at a time). */
  private probing = false;

  constructor(redis: Redis, options: FleetConnectionOptions) {
    this.redis = redis;
    this.options = options;
    this.secrets = clientSecrets(redis);
    this.deadlines = new CommandDeadlines(options.commandTimeoutMs);
    this.wasReady = redis.status === 'ready';
    if (!this.wasReady && typeof redis.once === 'function') {
      redis.once('ready', () => {
        this.wasReady = true;
      });
    }
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
  run(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const status = this.redis.status;
    if (status !== 'ready') {
      if (this.wasReady || status === 'reconnecting' || status === 'close' || status === 'end') {
        this.failed(new Error(`${script.name}: the Redis connection is down (${status})`));
        return Promise.resolve(UNAVAILABLE);
      }
      return this.firstConnection().then((connected) => {
        if (connected) return this.run(script, keys, args);
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
        command = script.evaluate(this.redis, keys, args);
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

  /** Resolves true once the client first connects, false after `commandTimeoutMs`; shared by callers. */
  private firstConnection(): Promise<boolean> {
    this.connecting ??= new Promise<boolean>((resolve) => {
      const ready = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.connecting = undefined;
        this.redis.removeListener('ready', ready);
        resolve(false);
      }, this.options.commandTimeoutMs);
      timer.unref?.();
      this.redis.once('ready', ready);
      // A lazyConnect client connects on its first command; none is sent before it is ready.
      if (this.redis.status === 'wait') this.redis.connect().catch(() => {});
    });
    return this.connecting;
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
