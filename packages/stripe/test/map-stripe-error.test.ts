import { AuthError, RateLimitError, ResilientError } from '@resilient/core';
import { findSecret } from '@resilient/testing';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { mapStripeError } from '../src/map-stripe-error';
import { SECRET_KEY } from './support';

const { errors } = Stripe;

/** The raw error stripe-node builds from an answer: the body's `error` plus the response's data. */
function raw(statusCode: number, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return {
    message: 'Stripe said no',
    statusCode,
    requestId: 'req_123',
    headers: { 'request-id': 'req_123', ...headers },
    ...fields,
  };
}

describe('mapStripeError: the classes', () => {
  it('maps a card error to invalid-request, never retryable, keeping the code and the original', () => {
    const original = new errors.StripeCardError(
      raw(402, { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' }),
    );
    const error = mapStripeError(original);
    expect(error).toMatchObject({
      kind: 'invalid-request',
      retryable: false,
      outcome: 'failed',
      status: 402,
      code: 'card_declined',
      requestId: 'req_123',
      service: 'stripe',
    });
    expect(error.cause).toBe(original);
    expect((error.cause as typeof original).decline_code).toBe('insufficient_funds');
  });

  it('maps a rate-limit error to a retryable RateLimitError with the Retry-After when sent', () => {
    const error = mapStripeError(
      new errors.StripeRateLimitError(raw(429, { code: 'rate_limit' }, { 'retry-after': '2' })),
    );
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'rate-limit',
      retryable: true,
      retryAfterMs: 2_000,
      outcome: 'failed',
    });
  });

  it('maps an idempotency error to a conflict that is not retried', () => {
    const error = mapStripeError(new errors.StripeIdempotencyError(raw(400, { type: 'idempotency_error' })));
    expect(error).toMatchObject({ kind: 'conflict', retryable: false, outcome: 'failed' });
  });

  it("maps Stripe's 409 idempotency_key_in_use, a StripeAPIError, to a retryable conflict", () => {
    const error = mapStripeError(new errors.StripeAPIError(raw(409, { code: 'idempotency_key_in_use' })));
    expect(error).toMatchObject({ kind: 'conflict', retryable: true, code: 'idempotency_key_in_use' });
  });

  it('maps authentication and permission errors to AuthErrors', () => {
    const auth = mapStripeError(new errors.StripeAuthenticationError(raw(401)));
    const permission = mapStripeError(new errors.StripePermissionError(raw(403)));
    expect(AuthError.isInstance(auth) && AuthError.isInstance(permission)).toBe(true);
    expect([auth.kind, permission.kind, auth.retryable, permission.retryable]).toEqual([
      'auth',
      'permission',
      false,
      false,
    ]);
  });

  it('maps an invalid request to invalid-request, and to not-found on a 404', () => {
    const invalid = mapStripeError(
      new errors.StripeInvalidRequestError(raw(400, { code: 'parameter_missing' })),
    );
    const missing = mapStripeError(
      new errors.StripeInvalidRequestError(raw(404, { code: 'resource_missing' })),
    );
    expect([invalid.kind, missing.kind]).toEqual(['invalid-request', 'not-found']);
    expect([invalid.retryable, missing.retryable]).toEqual([false, false]);
  });

  it('maps an API error to server, with an unknown outcome for a 500 and a failed one for a 503', () => {
    const internal = mapStripeError(new errors.StripeAPIError(raw(500, { type: 'api_error' })));
    const unavailable = mapStripeError(new errors.StripeAPIError(raw(503, { type: 'api_error' })));
    expect(internal).toMatchObject({ kind: 'server', retryable: true, outcome: 'unknown', status: 500 });
    expect(unavailable).toMatchObject({ kind: 'server', retryable: true, outcome: 'failed', status: 503 });
  });

  it('maps an unreadable answer (no status) to server with an unknown outcome: it may have been applied', () => {
    const error = mapStripeError(
      new errors.StripeAPIError({ message: 'Invalid JSON received from the Stripe API' }),
    );
    expect(error).toMatchObject({ kind: 'server', outcome: 'unknown', retryable: true, status: undefined });
  });

  it('maps a connection error to network with an unknown outcome, or not-sent when the connection was refused', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    const afterReset = mapStripeError(
      new errors.StripeConnectionError({ message: 'connection', detail: reset }),
    );
    const afterRefusal = mapStripeError(
      new errors.StripeConnectionError({ message: 'connection', detail: refused }),
    );
    const bare = mapStripeError(new errors.StripeConnectionError({ message: 'connection' }));
    expect([afterReset.kind, afterReset.outcome, afterReset.retryable]).toEqual(['network', 'unknown', true]);
    expect([afterRefusal.kind, afterRefusal.outcome]).toEqual(['network', 'not-sent']);
    expect([bare.kind, bare.outcome]).toEqual(['network', 'unknown']);
  });

  it('leaves anything that is not a stripe-node error to classifyError', () => {
    expect(mapStripeError(new TypeError('bug in my code'))).toMatchObject({
      kind: 'unknown',
      retryable: false,
    });
    const already = new ResilientError({ kind: 'timeout' });
    expect(mapStripeError(already)).toBe(already);
  });
});

describe("mapStripeError: Stripe's advice", () => {
  it('follows Stripe-Should-Retry: false on a 500 and true on a 400', () => {
    const noRetry = mapStripeError(
      new errors.StripeAPIError(raw(500, {}, { 'stripe-should-retry': 'false' })),
    );
    const retry = mapStripeError(
      new errors.StripeInvalidRequestError(raw(400, {}, { 'stripe-should-retry': 'true' })),
    );
    expect([noRetry.kind, noRetry.retryable]).toEqual(['server', false]);
    expect([retry.kind, retry.retryable]).toEqual(['invalid-request', true]);
  });

  it('never retries a card error, even when Stripe-Should-Retry says true', () => {
    const error = mapStripeError(
      new errors.StripeCardError(raw(402, { code: 'card_declined' }, { 'stripe-should-retry': 'true' })),
    );
    expect(error.retryable).toBe(false);
  });

  it('never retries a replayed answer, and tells the caller to reconcile a replayed 500', () => {
    const replayed500 = mapStripeError(
      new errors.StripeAPIError(
        raw(500, { type: 'api_error' }, { 'idempotent-replayed': 'true', 'stripe-should-retry': 'true' }),
      ),
    );
    expect(replayed500).toMatchObject({ kind: 'server', retryable: false, outcome: 'unknown' });
    expect(replayed500.message).toMatch(/replayed.*reconcile/);
    const replayed429 = mapStripeError(
      new errors.StripeRateLimitError(raw(429, {}, { 'idempotent-replayed': 'true' })),
    );
    expect(replayed429.retryable).toBe(false);
    expect(replayed429.message).not.toMatch(/reconcile/);
  });
});

describe('mapStripeError: secrets', () => {
  it('keeps no secret key from the message, the raw body or the headers', () => {
    const original = new errors.StripeAuthenticationError(
      raw(
        401,
        { message: `Invalid API Key provided: ${SECRET_KEY}` },
        { authorization: `Bearer ${SECRET_KEY}` },
      ),
    );
    const error = mapStripeError(original);
    expect(findSecret(error, SECRET_KEY)).toEqual([]);
    expect(error.message).toContain('[redacted]');
  });
});
