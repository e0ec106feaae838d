import { type Clock, systemClock } from '@resilient/core';
import { checkKeys, checkOptions, optionalDuration, requireText } from './internal/validate';
import { MissingSecretError } from './missing-secret-error';
import { isSecret, Secret } from './secret';
import type { SecretSource } from './secret-source';
import { SecretUnavailableError } from './secret-unavailable-error';

/** Loads a secret from where it is kept: a secret manager's API, a file, a vault. */
export type SecretLoader = () => Promise<string | Secret>;

/** Options of {@link cachedSource}. */
export interface CachedSourceOptions {
  /** The secret's name, printed in its redacted form and in errors, such as `prod/resend-api-key`. */
  readonly name: string;
  /** How long a loaded value is used before the next `get` loads it again, in ms. Default: 300,000 (5 minutes); `Infinity` to load once. */
  readonly ttlMs?: number;
  /**
   * How long past its TTL a value is still served when loading fails (the manager is down), in ms.
   * Past that, `get` rejects with a `SecretUnavailableError`. Default: 3,600,000 (one hour).
   */
  readonly maxStaleMs?: number;
  /**
   * The shortest time between two loads that `refresh` forces, and between a failed load and the next
   * try, in ms: a revoked key refused ten thousand times reads the manager a few times, not ten thousand.
   * Default: 10,000.
   */
  readonly minRefreshIntervalMs?: number;
  /** Told when a load failed and a stale value was served instead; must not throw. Default: none. */
  readonly onStale?: (error: MissingSecretError | SecretUnavailableError) => void;
  /** The clock. Default: the system clock; `FakeClock` from `@resilient/core/testing` in tests. */
  readonly clock?: Clock;
}

const OPTION_NAMES = ['name', 'ttlMs', 'maxStaleMs', 'minRefreshIntervalMs', 'onStale', 'clock'];

/**
 * A {@link SecretSource} over any loader, for secret managers (AWS Secrets Manager, Doppler, Vault):
 * it caches the value for `ttlMs`, shares one load among concurrent callers, serves the last value
 * for up to `maxStaleMs` when a load fails, and rate-limits forced refreshes.
 *
 * @example
 * const apiKey = cachedSource(async () => (await manager.getSecretValue({ SecretId: 'resend' })).SecretString!, {
 *   name: 'resend-api-key',
 *   ttlMs: 5 * 60_000,
 * });
 * const provider = createResendProvider({ apiKey });
 */
export function cachedSource(loader: SecretLoader, options: CachedSourceOptions): SecretSource {
  const where = 'cachedSource';
  if (typeof loader !== 'function') throw new TypeError(`${where}: loader must be a function`);
  const record = checkOptions(where, options as CachedSourceOptions | undefined);
  checkKeys(where, record, OPTION_NAMES);
  const name = requireText(where, 'name', record.name).trim();
  const ttlMs = optionalDuration(where, 'ttlMs', record.ttlMs, 300_000, { min: 1, allowInfinity: true });
  const maxStaleMs = optionalDuration(where, 'maxStaleMs', record.maxStaleMs, 3_600_000, {
    min: 0,
    allowInfinity: true,
  });
  const minRefreshIntervalMs = optionalDuration(
    where,
    'minRefreshIntervalMs',
    record.minRefreshIntervalMs,
    10_000,
    { min: 0 },
  );
  if (record.onStale !== undefined && typeof record.onStale !== 'function') {
    throw new TypeError(`${where}: onStale must be a function`);
  }
  const clock = record.clock ?? systemClock;

  let current: { readonly secret: Secret; readonly loadedAt: number } | undefined;
  let inFlight: Promise<Secret> | undefined;
  let lastForcedAt: number | undefined;
  let lastFailureAt: number | undefined;

  const recently = (time: number | undefined): boolean =>
    time !== undefined && clock.now() - time < minRefreshIntervalMs;

  async function run(): Promise<Secret> {
    try {
      const value = await loader();
      const loaded = isSecret(value) ? value : toSecret(value, name);
      current = { secret: loaded, loadedAt: clock.now() };
      lastFailureAt = undefined;
      return loaded;
    } catch (error) {
      lastFailureAt = clock.now();
      const failure = MissingSecretError.isInstance(error) ? error : new SecretUnavailableError(name, error);
      if (current !== undefined && clock.now() - current.loadedAt < ttlMs + maxStaleMs) {
        report(record.onStale, failure);
        return current.secret;
      }
      throw failure;
    }
  }

  function load(): Promise<Secret> {
    inFlight ??= run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return Object.freeze({
    name,
    get(): Promise<Secret> {
      if (current !== undefined) {
        const age = clock.now() - current.loadedAt;
        if (age < ttlMs) return Promise.resolve(current.secret);
        // The last load failed a moment ago: serve the stale value rather than ask again at once.
        if (recently(lastFailureAt) && age < ttlMs + maxStaleMs) return Promise.resolve(current.secret);
      }
      return load();
    },
    refresh(rejected?: Secret): Promise<Secret> {
      if (current !== undefined && rejected !== undefined && !current.secret.equals(rejected)) {
        return Promise.resolve(current.secret);
      }
      if (inFlight !== undefined) return inFlight;
      if (current !== undefined && (recently(lastForcedAt) || recently(lastFailureAt))) {
        return Promise.resolve(current.secret);
      }
      lastForcedAt = clock.now();
      return load();
    },
  });
}

function toSecret(value: unknown, name: string): Secret {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MissingSecretError([
      {
        name,
        where: 'secret source',
        reason: typeof value === 'string' ? 'empty' : `not a string (${typeof value})`,
      },
    ]);
  }
  return new Secret(value, { name });
}

function report(
  onStale: ((error: MissingSecretError | SecretUnavailableError) => void) | undefined,
  failure: MissingSecretError | SecretUnavailableError,
): void {
  if (onStale === undefined) return;
  try {
    onStale(failure);
  } catch {
    // A reporting hook must not turn a served value into a failure.
  }
}
