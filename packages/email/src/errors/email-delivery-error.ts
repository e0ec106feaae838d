import { ResilientError } from '@resilient/core';
import { hasOwnMarker } from './email-validation-error';
import { type ProviderFailure, worstOutcome } from './provider-failure';

const MARKER = 'resilient.error.email-delivery';
const symbol = Symbol.for(MARKER);

/**
 * Why the client stopped without a result:
 * - `exhausted`: every provider was tried and failed;
 * - `not-failed-over`: the error is not one the client fails over on (the caller's mistake, a conflict);
 * - `cancelled`: the caller's signal aborted;
 * - `duplicate-risk`: a provider may have sent the message (outcome `unknown`), so trying the next one
 *   could deliver it twice, and `allowDuplicateRisk` is off.
 */
export type DeliveryStopReason = 'exhausted' | 'not-failed-over' | 'cancelled' | 'duplicate-risk';

/** What an {@link EmailDeliveryError} is built from. */
export interface EmailDeliveryErrorOptions {
  /** Each provider that was tried, in order; at least one. */
  readonly failures: readonly ProviderFailure[];
  /** Why the client stopped. */
  readonly reason: DeliveryStopReason;
  /** The providers that were not tried, in order. */
  readonly untried: readonly string[];
  /** The idempotency key of the logical send. */
  readonly idempotencyKey: string;
}

/**
 * No provider delivered the message. `kind`, `status`, `code`, `retryable` and `cause` are those of the
 * last provider's error; `outcome` is the most cautious over every provider (`unknown` when any of them
 * may have sent it); `attempts` is the total over all providers, and `failures` says what each provider
 * did. Retry the send later with the same `idempotencyKey` only when `outcome` is not `unknown`, or when
 * the provider that may have sent it deduplicates on keys.
 */
export class EmailDeliveryError extends ResilientError {
  readonly [symbol] = true;
  /** What each provider that was tried did, in order. */
  readonly failures: readonly ProviderFailure[];
  /** Why the client stopped. */
  readonly reason: DeliveryStopReason;
  /** The providers that were not tried, in order. */
  readonly untried: readonly string[];
  /** The idempotency key of the logical send: reuse it to retry the same send. */
  readonly idempotencyKey: string;

  constructor(options: EmailDeliveryErrorOptions) {
    const failures = Object.freeze([...options.failures]);
    const last = failures[failures.length - 1];
    if (last === undefined)
      throw new RangeError('EmailDeliveryError: failures must list at least one provider');
    const delays = failures.map((failure) => failure.error.retryAfterMs).filter((ms) => ms !== undefined);
    super({
      kind: last.kind,
      outcome: worstOutcome(failures.map((failure) => failure.outcome)),
      retryable: last.error.retryable,
      service: last.provider,
      status: last.error.status,
      code: last.error.code,
      requestId: last.error.requestId,
      retryAfterMs: delays.length === 0 ? undefined : Math.min(...delays),
      message: describe(failures, options.reason, options.untried),
      cause: last.error,
    });
    this.name = 'EmailDeliveryError';
    this.failures = failures;
    this.reason = options.reason;
    this.untried = Object.freeze([...options.untried]);
    this.idempotencyKey = options.idempotencyKey;
    this.attempts = failures.reduce((total, failure) => total + failure.attempts, 0);
  }

  /** Whether `error` is an {@link EmailDeliveryError}, from any copy of the package. */
  static override isInstance(error: unknown): error is EmailDeliveryError {
    return ResilientError.isInstance(error) && hasOwnMarker(error, symbol);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      reason: this.reason,
      idempotencyKey: this.idempotencyKey,
      untried: this.untried,
      failures: this.failures.map((failure) => ({
        provider: failure.provider,
        kind: failure.kind,
        outcome: failure.outcome,
        attempts: failure.attempts,
        status: failure.error.status,
        code: failure.error.code,
      })),
    };
  }
}

/** The message: what each provider did and why the client stopped. Kinds and codes only, never a provider's text. */
function describe(
  failures: readonly ProviderFailure[],
  reason: DeliveryStopReason,
  untried: readonly string[],
): string {
  const last = failures[failures.length - 1]!;
  const what = failures
    .map((failure) => {
      const status = failure.error.status === undefined ? '' : `, HTTP ${failure.error.status}`;
      const code = failure.error.code === undefined ? '' : `, code ${failure.error.code}`;
      const plural = failure.attempts === 1 ? '' : 's';
      const maybeSent = failure.outcome === 'unknown' ? ', may have been sent' : '';
      return `${failure.provider}: ${failure.kind}${status}${code}, ${failure.attempts} attempt${plural}${maybeSent}`;
    })
    .join('; ');
  switch (reason) {
    case 'exhausted':
      return `Email not sent: every provider failed (${what})`;
    case 'cancelled':
      return `Email not sent: cancelled by the caller (${what})`;
    case 'not-failed-over':
      return `Email not sent: ${last.kind} is not a provider failure, so it was not failed over (${what})`;
    case 'duplicate-risk':
      return `Email not confirmed: ${last.provider} may have sent it, so it was not failed over to ${untried.join(', ')}, which could send it twice; set allowDuplicateRisk to fail over anyway (${what})`;
  }
}
