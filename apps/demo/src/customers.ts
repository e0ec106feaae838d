import type { CircuitState } from '@resilient/core';

/** What a signup needs from the payments provider: one customer per signup, whatever happens. */
export interface CustomerService {
  /** `stripe`. */
  readonly provider: string;
  /**
   * Creates the customer under `idempotencyKey`: a retry after a lost answer, or a repeated signup,
   * gets the same customer back instead of a second one. Rejects with a `ResilientError`.
   */
  create(customer: NewCustomer, idempotencyKey: string): Promise<CreatedCustomer>;
  /** The breaker's state, for `GET /health`. Reads only. */
  health(): { readonly breaker: CircuitState | 'none'; readonly retryAfterMs: number };
}

export interface NewCustomer {
  readonly email: string;
  readonly name: string;
  /** Stored as metadata: which signup made this customer. */
  readonly signupId: string;
}

export interface CreatedCustomer {
  readonly id: string;
}
