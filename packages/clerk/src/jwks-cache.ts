import { type Clock, ResilientError } from '@resilient/core';

/** The cache's timing, in ms. */
export interface JwksCacheTiming {
  readonly cacheTtlMs: number;
  readonly maxStaleMs: number;
  readonly minRefreshIntervalMs: number;
}

/** What the cache holds now, for health checks. */
export interface JwksCacheStatus {
  /** The `kid`s held. */
  readonly kids: readonly string[];
  /** When they were fetched (clock ms), or `undefined` before the first fetch. */
  readonly fetchedAt: number | undefined;
  /** `fresh` within the TTL, `stale` past it but within `maxStaleMs`, `expired` after, `empty` before any. */
  readonly state: 'empty' | 'fresh' | 'stale' | 'expired';
  /** The last fetch's error, until a fetch succeeds. */
  readonly lastError: ResilientError | undefined;
}

/**
 * The signing keys by `kid`, with a TTL. Past the TTL, the keys are served at once and refreshed in the
 * background (one fetch at a time); while fetches fail they keep being served up to `maxStaleMs` past
 * the TTL (stale-if-error), then a request must wait for a fetch that succeeds. An unknown `kid` forces
 * one fetch, but no fetch starts within `minRefreshIntervalMs` of the last one.
 */
export class JwksCache {
  private keys = new Map<string, string>();
  private fetchedAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private lastError: ResilientError | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly fetchKeys: () => Promise<Map<string, string>>,
    private readonly timing: JwksCacheTiming,
    private readonly clock: Clock,
    private readonly service: string,
  ) {}

  /** The PEM of the key `kid`, fetching the keys when the cache cannot answer; throws a `ResilientError`. */
  async keyFor(kid: string): Promise<string> {
    const state = this.state();
    if (state === 'empty' || state === 'expired') await this.refresh(true);
    else if (state === 'stale') this.refreshInBackground();
    let pem = this.keys.get(kid);
    if (pem === undefined && (this.mayFetch() || this.inFlight !== undefined)) {
      await this.refresh(false);
      pem = this.keys.get(kid);
    }
    if (pem !== undefined) return pem;
    throw new ResilientError({
      kind: 'auth',
      outcome: 'not-sent',
      retryable: false,
      service: this.service,
      code: 'unknown_kid',
      message: `${this.service}: no signing key with kid ${JSON.stringify(kid)} in the JWKS (refreshed at most every ${this.timing.minRefreshIntervalMs} ms)`,
    });
  }

  /** Fetches the keys now (joining a fetch in flight); keeps the old ones when it fails, and rethrows. */
  async refresh(rateLimited = false): Promise<void> {
    if (this.inFlight === undefined) {
      if (rateLimited && !this.mayFetch() && this.lastError !== undefined) throw this.lastError;
      this.lastAttemptAt = this.clock.now();
      this.inFlight = this.fetchKeys()
        .then(
          (keys) => {
            this.keys = keys;
            this.fetchedAt = this.clock.now();
            this.lastError = undefined;
          },
          (error: unknown) => {
            this.lastError = ResilientError.isInstance(error)
              ? error
              : new ResilientError({ kind: 'unknown', service: this.service, cause: error });
            throw this.lastError;
          },
        )
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    await this.inFlight;
    if (this.state() === 'expired' && this.lastError !== undefined) throw this.lastError;
  }

  /** What the cache holds now. */
  status(): JwksCacheStatus {
    return {
      kids: [...this.keys.keys()],
      fetchedAt: this.fetchedAt,
      state: this.state(),
      lastError: this.lastError,
    };
  }

  private state(): JwksCacheStatus['state'] {
    if (this.fetchedAt === undefined) return 'empty';
    const age = this.clock.now() - this.fetchedAt;
    if (age <= this.timing.cacheTtlMs) return 'fresh';
    return age <= this.timing.cacheTtlMs + this.timing.maxStaleMs ? 'stale' : 'expired';
  }

  private mayFetch(): boolean {
    return (
      this.lastAttemptAt === undefined ||
      this.clock.now() - this.lastAttemptAt >= this.timing.minRefreshIntervalMs
    );
  }

  private refreshInBackground(): void {
    if (this.inFlight !== undefined || !this.mayFetch()) return;
    this.refresh(false).catch(() => {
      // Kept in lastError; the stale keys go on being served.
    });
  }
}
