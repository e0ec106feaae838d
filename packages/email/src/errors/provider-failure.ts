import type { ErrorKind, Outcome, ResilientError } from '@resilient/core';

/** How one provider failed a logical send, after its own retries. */
export interface ProviderFailure {
  /** The provider's name, such as `resend`. */
  readonly provider: string;
  /** The kind of the provider's final error. */
  readonly kind: ErrorKind;
  /**
   * Whether the message may have gone out at this provider, across all of its attempts: `unknown` as
   * soon as one attempt may have been applied (a timeout, a reset, a 500), even when a later attempt
   * was refused cleanly. This, not the final error's `outcome`, decides whether failing over is safe.
   */
  readonly outcome: Outcome;
  /** The attempts made at this provider (0 when its breaker refused the send). */
  readonly attempts: number;
  /** The provider's final error, as its pipeline ended with it. */
  readonly error: ResilientError;
}

const SEVERITY: Readonly<Record<Outcome, number>> = { 'not-sent': 0, failed: 1, unknown: 2 };

/** @internal The most cautious of several outcomes: `unknown` over `failed` over `not-sent`. */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'not-sent';
  for (const outcome of outcomes) if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  return worst;
}
