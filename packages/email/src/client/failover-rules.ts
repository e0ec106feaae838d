import { type ErrorKind, isErrorKind } from '@resilient/core';
import type { DeliveryStopReason } from '../errors/email-delivery-error';
import type { ProviderFailure } from '../errors/provider-failure';

/**
 * The kinds the client fails over on by default: the provider is failing or unreachable (`server`,
 * `unavailable`, `network`, `timeout`), throttling or out of quota at this provider (`rate-limit` once
 * its own retries gave up, `quota-exceeded`), its credentials are refused (`auth`, `permission`: a
 * revoked key at one provider says nothing about the next one's), or a local policy refused to call it
 * (`circuit-open`, `bulkhead-rejected`, `rate-limiter-rejected`: nothing was sent).
 *
 * Not failed over: `invalid-request` and `not-found` (the message is wrong everywhere), `conflict` (a
 * request with the same key may still be running), `cancelled`, and `unknown` (a bug).
 */
export const DEFAULT_FAILOVER_KINDS: readonly ErrorKind[] = Object.freeze([
  'server',
  'unavailable',
  'network',
  'timeout',
  'rate-limit',
  'quota-exceeded',
  'auth',
  'permission',
  'circuit-open',
  'bulkhead-rejected',
  'rate-limiter-rejected',
]);

/** Kinds that can never fail over: the caller gave up, or the same key is still running somewhere. */
const NEVER_FAILED_OVER: ReadonlySet<ErrorKind> = new Set(['cancelled', 'conflict']);

/** @internal What decides a failover. */
export interface FailoverRules {
  readonly failoverKinds: ReadonlySet<ErrorKind>;
  readonly allowDuplicateRisk: boolean;
}

/** @internal Checks the `failoverOn` option. */
export function checkFailoverKinds(value: unknown): ReadonlySet<ErrorKind> {
  if (value === undefined) return new Set(DEFAULT_FAILOVER_KINDS);
  if (!Array.isArray(value))
    throw new TypeError('createEmailClient: failoverOn must be an array of error kinds');
  for (const kind of value) {
    if (!isErrorKind(kind))
      throw new TypeError(
        `createEmailClient: failoverOn lists "${String(kind)}", which is not an error kind`,
      );
    if (NEVER_FAILED_OVER.has(kind))
      throw new RangeError(
        `createEmailClient: failoverOn may not list "${kind}": a cancelled send must stop, and a conflict means the same key may still be running at the provider`,
      );
  }
  return new Set(value as ErrorKind[]);
}

/**
 * @internal Why the client must stop after `failure`, or `undefined` to try the next provider. An
 * `unknown` outcome stops it unless the caller allowed the duplicate risk.
 */
export function stopReason(
  failure: ProviderFailure,
  rules: FailoverRules,
  hasNext: boolean,
): DeliveryStopReason | undefined {
  if (failure.kind === 'cancelled') return 'cancelled';
  if (!rules.failoverKinds.has(failure.kind)) return 'not-failed-over';
  if (!hasNext) return 'exhausted';
  if (failure.outcome === 'unknown' && !rules.allowDuplicateRisk) return 'duplicate-risk';
  return undefined;
}
