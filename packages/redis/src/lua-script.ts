import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The two commands a {@link LuaScript} needs from an ioredis client. */
export type ScriptRunner = Pick<Redis, 'evalsha' | 'eval'>;

/**
 * @internal A Lua script run by its SHA1 (`EVALSHA`), so that each call sends the hash rather than the
 * source: one round trip per call. When Redis does not know the script yet (a fresh or restarted
 * server answers `NOSCRIPT`), it is sent once with `EVAL`, which also caches it on the server.
 */
export class LuaScript {
  /** The script's name, for messages. */
  readonly name: string;
  /** The Lua source. */
  readonly source: string;
  /** The SHA1 of the source, as Redis names cached scripts. */
  readonly sha1: string;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Runs the script with `keys` (`KEYS`) and `args` (`ARGV`): `EVALSHA`, then `EVAL` if the server
   * answers `NOSCRIPT`. Rejects with the client's error otherwise.
   */
  async evaluate(
    redis: ScriptRunner,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
