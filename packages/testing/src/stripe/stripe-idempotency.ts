import type { FakeResponse } from '../core/fake-server';

/** What Stripe does with a POST that carries an idempotency key. */
export type StripeIdempotencyDecision =
  | { readonly type: 'proceed' }
  /** The first request's saved answer, errors included. */
  | { readonly type: 'replay'; readonly response: FakeResponse }
  /** The key was first used with other parameters or another endpoint: 400 `idempotency_error`. */
  | { readonly type: 'mismatch' }
  /** The first request with this key is still running: 409 `idempotency_key_in_use`. */
  | { readonly type: 'in-use' };

interface Entry {
  readonly fingerprint: string;
  readonly createdAt: number;
  response: FakeResponse | undefined;
}

/** How long Stripe keeps a key before it may prune it: 24 hours. */
export const STRIPE_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Stripe's v1 idempotency keys. Once an endpoint has begun executing, the status and body of the first
 * request with a key are saved, 500s and declines included, and every later request with the key and
 * the same parameters gets that answer again. The same key with other parameters (or on another
 * endpoint) is an `idempotency_error`; a request that arrives while the first is still running gets
 * 409 `idempotency_key_in_use`. Nothing is saved when the parameters fail validation: the key is free
 * again then. Keys are kept 24 hours.
 */
export class StripeIdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** Decides what to do with a request; on `proceed`, the key counts as in flight until settled. */
  begin(key: string, fingerprint: string): StripeIdempotencyDecision {
    const existing = this.entries.get(key);
    if (existing !== undefined && this.now() - existing.createdAt < STRIPE_IDEMPOTENCY_WINDOW_MS) {
      if (existing.fingerprint !== fingerprint) return { type: 'mismatch' };
      if (existing.response === undefined) return { type: 'in-use' };
      return { type: 'replay', response: existing.response };
    }
    this.entries.set(key, { fingerprint, createdAt: this.now(), response: undefined });
    return { type: 'proceed' };
  }

  /** Saves the answer of a request that began executing, whatever its status. */
  save(key: string, response: FakeResponse): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.response = response;
  }

  /** Frees a key whose request never began executing (its parameters failed validation). */
  release(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.entries.clear();
  }
}
