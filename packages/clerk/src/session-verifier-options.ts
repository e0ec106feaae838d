import { type Clock, type ResilientOptions, systemClock } from '@resilient/core';

/** Options of {@link createSessionVerifier}. Give `jwtKey`, or `secretKey` (with `apiUrl`), or `jwksUrl`. */
export interface SessionVerifierOptions {
  /**
   * The instance's public key as a PEM (Clerk's dashboard, "JWT public key"): tokens are verified with it
   * and no network at all. When given, no JWKS is fetched.
   */
  readonly jwtKey?: string;
  /** The Backend API secret key, sent to fetch `<apiUrl>/v1/jwks`. Never put in an error. */
  readonly secretKey?: string;
  /** The Backend API's URL. Default: `https://api.clerk.com`. */
  readonly apiUrl?: string;
  /** A JWKS URL that needs no key instead, such as `https://<frontend-api>/.well-known/jwks.json`. */
  readonly jwksUrl?: string;
  /** How long fetched keys are fresh, in ms; then they are refreshed in the background. Default: 300,000 (5 min). */
  readonly cacheTtlMs?: number;
  /**
   * How long past `cacheTtlMs` the keys may still be used while Clerk cannot be reached, in ms; after
   * that, verification fails until a fetch succeeds. Default: 3,600,000 (1 h).
   */
  readonly maxStaleMs?: number;
  /**
   * The least time between two fetches, in ms: bounds the refreshes that unknown `kid`s (rotations,
   * forged tokens) and failing fetches can cause. Default: 30,000.
   */
  readonly minRefreshIntervalMs?: number;
  /** `azp` values to accept, checked by `@clerk/backend`'s `verifyToken`. */
  readonly authorizedParties?: string[];
  /** `aud` values to accept. */
  readonly audience?: string | string[];
  /** Allowed clock skew for `exp`/`nbf`, in ms. Default: `@clerk/backend`'s (5 s). */
  readonly clockSkewInMs?: number;
  /** The clock for the cache's TTL and staleness. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * The pipeline of JWKS fetches (core's `resilient()` options). Default: 5 s per attempt, 10 s in all,
   * 2 attempts, a breaker named `<service>:jwks`.
   */
  readonly resilience?: Omit<ResilientOptions, 'service' | 'operation' | 'idempotent'>;
  /** The service named on errors and events. Default: `clerk`. */
  readonly service?: string;
}

/** The options once checked. */
export interface ResolvedSessionVerifierOptions {
  readonly jwtKey: string | undefined;
  /** The JWKS URL, and the secret key to send there (for the Backend API's). */
  readonly jwks: { readonly url: string; readonly secretKey: string | undefined } | undefined;
  readonly cacheTtlMs: number;
  readonly maxStaleMs: number;
  readonly minRefreshIntervalMs: number;
  readonly clock: Clock;
  readonly service: string;
  readonly pipeline: ResilientOptions;
  readonly claims: Pick<SessionVerifierOptions, 'authorizedParties' | 'audience' | 'clockSkewInMs'>;
}

/** Checks the options when the verifier is built; a wrong one throws, naming the option and its range. */
export function resolveSessionVerifierOptions(
  options: SessionVerifierOptions,
): ResolvedSessionVerifierOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createSessionVerifier: options must be an object');
  const { jwtKey, secretKey, jwksUrl } = options;
  for (const [name, value] of Object.entries({ jwtKey, secretKey, jwksUrl, apiUrl: options.apiUrl }))
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw new TypeError(`createSessionVerifier: ${name} must be a non-empty string`);
  if (jwtKey !== undefined && !jwtKey.includes('-----BEGIN PUBLIC KEY-----'))
    throw new TypeError(
      'createSessionVerifier: jwtKey must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
    );
  if (jwtKey === undefined && secretKey === undefined && jwksUrl === undefined)
    throw new TypeError(
      'createSessionVerifier: give jwtKey (no network), secretKey (with apiUrl), or jwksUrl',
    );
  const service = options.service ?? 'clerk';
  const apiUrl = (options.apiUrl ?? 'https://api.clerk.com').replace(/\/+$/, '');
  const jwks =
    jwtKey !== undefined
      ? undefined
      : jwksUrl !== undefined
        ? { url: checkUrl('jwksUrl', jwksUrl), secretKey: undefined }
        : { url: `${checkUrl('apiUrl', apiUrl)}/v1/jwks`, secretKey };
  return {
    jwtKey,
    jwks,
    cacheTtlMs: duration('cacheTtlMs', options.cacheTtlMs, 300_000, 1),
    maxStaleMs: duration('maxStaleMs', options.maxStaleMs, 3_600_000, 0),
    minRefreshIntervalMs: duration('minRefreshIntervalMs', options.minRefreshIntervalMs, 30_000, 0),
    clock: options.clock ?? systemClock,
    service,
    pipeline: {
      attemptTimeoutMs: 5_000,
      totalTimeoutMs: 10_000,
      retry: { maxAttempts: 2 },
      ...options.resilience,
      circuitBreaker:
        options.resilience?.circuitBreaker === false
          ? false
          : { ...options.resilience?.circuitBreaker, name: `${service}:jwks` },
      clock: options.resilience?.clock ?? options.clock ?? systemClock,
      service,
    },
    claims: {
      authorizedParties: options.authorizedParties,
      audience: options.audience,
      clockSkewInMs: options.clockSkewInMs,
    },
  };
}

function duration(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new RangeError(
      `createSessionVerifier: ${name} must be a finite number of ms >= ${min}; got ${String(value)}`,
    );
  return value;
}

function checkUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  throw new TypeError(`createSessionVerifier: ${name} must be an http(s) URL; got ${JSON.stringify(value)}`);
}
