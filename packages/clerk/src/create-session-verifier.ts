import { verifyToken } from '@clerk/backend';
import { resilient } from '@resilient/core';
import { fetchJwks } from './fetch-jwks';
import { JwksCache, type JwksCacheStatus } from './jwks-cache';
import { readKid } from './jwt-header';
import { resolveSessionVerifierOptions, type SessionVerifierOptions } from './session-verifier-options';

/** The claims of a verified session token, as `@clerk/backend`'s `verifyToken` returns them. */
export type SessionClaims = Awaited<ReturnType<typeof verifyToken>>;

/** Verifies Clerk session tokens. Built by {@link createSessionVerifier}. */
export interface SessionVerifier {
  /**
   * The token's claims when it is valid. A token that is invalid (bad signature, expired, wrong `azp`)
   * rejects with `@clerk/backend`'s `TokenVerificationError`; when no key can be had (Clerk unreachable
   * past the staleness bound, an unknown `kid`), with a `ResilientError`.
   */
  verify(token: string): Promise<SessionClaims>;
  /** Fetches the keys now (not rate-limited); rejects with a `ResilientError` when the fetch fails. */
  refresh(): Promise<void>;
  /** The key cache's state, for health checks; `undefined` with a configured `jwtKey`. */
  status(): JwksCacheStatus | undefined;
}

/**
 * A session-token verifier that keeps working through a Clerk outage. With `jwtKey` it needs no
 * network. Otherwise it fetches the JWKS itself through a `resilient()` pipeline (rather than
 * `@clerk/backend`'s module-wide cache), keeps the keys for `cacheTtlMs`, refreshes them in the
 * background after that, serves them stale for up to `maxStaleMs` while Clerk cannot be reached, and on
 * an unknown `kid` (a rotation) forces one fetch, at most one per `minRefreshIntervalMs`. The JWT itself
 * is checked by `@clerk/backend`'s `verifyToken`, given the key's PEM as `jwtKey`: signature (RS256),
 * `exp`, `nbf`, `iat`, `azp` and `aud`, against the system time.
 *
 * @example
 * const verifier = createSessionVerifier({ secretKey: process.env.CLERK_SECRET_KEY });
 * const claims = await verifier.verify(sessionToken);
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const resolved = resolveSessionVerifierOptions(options);
  const { jwks, service } = resolved;
  let cache: JwksCache | undefined;
  if (jwks !== undefined) {
    const pipeline = resilient(resolved.pipeline);
    cache = new JwksCache(() => fetchJwks(pipeline, jwks, service), resolved, resolved.clock, service);
  }
  const claims = Object.fromEntries(
    Object.entries(resolved.claims).filter(([, value]) => value !== undefined),
  );
  return {
    async verify(token) {
      const jwtKey = resolved.jwtKey ?? (await cache?.keyFor(readKid(token)));
      return verifyToken(token, { ...claims, jwtKey });
    },
    async refresh() {
      await cache?.refresh(false);
    },
    status() {
      return cache?.status();
    },
  };
}
