import type { Clock } from '@resilient/core';
import { cachedSource } from './cached-source';
import type { Secret } from './secret';
import type { SecretSource } from './secret-source';

/** Options of {@link refreshingSource}: those of `cachedSource`, with a clock. */
export interface RefreshingSourceOptions {
  readonly name: string;
  readonly ttlMs?: number;
  readonly maxStaleMs?: number;
  readonly minRefreshIntervalMs?: number;
  readonly onStale?: Parameters<typeof cachedSource>[1]['onStale'];
  readonly clock: Clock;
}

/** Of the TTL, the share after which a `get` starts a background read (the cached value is still served). */
const REFRESH_AHEAD_SHARE = 0.8;

/**
 * A `cachedSource` that also reads again in the background once a value is past 80% of its TTL, when
 * it is asked for (no timers): a busy caller never waits for the manager at expiry. The secret-manager
 * sources (`@resilient/secrets-aws`, `@resilient/secrets-doppler`) are built on it.
 */
export function refreshingSource(
  loader: () => Promise<Secret>,
  options: RefreshingSourceOptions,
): SecretSource {
  let loadedAt: number | undefined;
  let background: Promise<unknown> | undefined;
  const { clock } = options;
  const source = cachedSource(
    async () => {
      const value = await loader();
      loadedAt = clock.now();
      return value;
    },
    {
      name: options.name,
      ttlMs: options.ttlMs,
      maxStaleMs: options.maxStaleMs,
      minRefreshIntervalMs: options.minRefreshIntervalMs,
      onStale: options.onStale,
      clock,
    },
  );
  const ttlMs = options.ttlMs ?? 300_000;
  return Object.freeze({
    name: source.name,
    get(): Promise<Secret> {
      if (loadedAt !== undefined && background === undefined && Number.isFinite(ttlMs)) {
        const age = clock.now() - loadedAt;
        if (age >= ttlMs * REFRESH_AHEAD_SHARE && age < ttlMs) {
          background = source
            .refresh()
            .catch(() => undefined)
            .finally(() => {
              background = undefined;
            });
        }
      }
      return source.get();
    },
    refresh: (rejected?: Secret) => source.refresh(rejected),
  });
}
