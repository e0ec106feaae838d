import type { FakeResponse } from '../core/fake-server';

/** What Resend does with a request that carries an idempotency key. */
export type IdempotencyDecision =
  | { readonly type: 'proceed' }
  | { readonly type: 'replay'; readonly response: FakeResponse }
  | {
      readonly type: 'conflict';
      readonly name: 'invalid_idempotent_request' | 'concurrent_idempotent_requests';
    };

interface Entry {
  readonly fingerprint: string;
  readonly createdAt: number;
  response: FakeResponse | undefined;
}

/** How long Resend keeps an idempotency key: 24 hours. */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Resend's idempotency keys: the first request with a key runs; a later one with the same key and the
 * same payload gets the first answer again without being applied twice; a different payload gets 409
 * `invalid_idempotent_request`; a request arriving while the first is still running gets 409
 * `concurrent_idempotent_requests`. Only successful answers are kept: after a failure the key is free.
 */
export class ResendIdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** Decides what to do with a request; on `proceed`, the key counts as in flight until {@link complete}. */
  begin(key: string, fingerprint: string): IdempotencyDecision {
    const now = this.now();
    const existing = this.entries.get(key);
    if (existing !== undefined && now - existing.createdAt < IDEMPOTENCY_WINDOW_MS) {
      if (existing.fingerprint !== fingerprint)
        return { type: 'conflict', name: 'invalid_idempotent_request' };
      if (existing.response === undefined)
        return { type: 'conflict', name: 'concurrent_idempotent_requests' };
      return { type: 'replay', response: existing.response };
    }
    this.entries.set(key, { fingerprint, createdAt: now, response: undefined });
    return { type: 'proceed' };
  }

  /** Records the answer of a request that proceeded: kept when successful, else the key is released. */
  complete(key: string, response: FakeResponse): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    if (response.status >= 200 && response.status < 300) entry.response = response;
    else this.entries.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.entries.clear();
  }
}
