import { AuthError, RateLimitError, ResilientError } from '@resilient/core';
import { type FakeResend, type Fault, findSecret, startFakeResend } from '@resilient/testing';
import { Resend } from 'resend';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { sendContext, simpleMessage } from './support';

const KEY = 'resend-canary-5b1f0c2e';
let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () => createResendProvider({ apiKey: KEY, baseUrl: fake.url });

async function failWith(fault: Fault): Promise<ResilientError> {
  fake.faults.enqueue(fault);
  const error = await provider()
    .send(simpleMessage, sendContext())
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  if (!ResilientError.isInstance(error)) throw new Error(`expected a ResilientError, got ${String(error)}`);
  return error;
}

describe('Resend errors: delays, request ids, network causes and secrets', () => {
  it('makes rate limits a RateLimitError with the delay from retry-after', async () => {
    const error = await failWith({ type: 'status', code: 'rate_limit_exceeded', retryAfterSeconds: 3 });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(3_000);
  });

  it('takes the delay from the fake’s enforced limit, with Resend’s real headers', async () => {
    const limited = await startFakeResend({ apiKey: KEY, rateLimit: { limit: 1, windowMs: 1_000 } });
    try {
      const resend = createResendProvider({ apiKey: KEY, baseUrl: limited.url });
      await resend.send(simpleMessage, sendContext());
      const error = await resend
        .send(simpleMessage, sendContext({ idempotencyKey: 'key-2' }))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'rate-limit', code: 'rate_limit_exceeded', retryAfterMs: 1_000 });
    } finally {
      await limited.close();
    }
  });

  it('gives quota errors no delay from the per-second rate-limit headers', async () => {
    const error = await failWith({
      type: 'status',
      code: 'daily_quota_exceeded',
      headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
    });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('makes key errors an AuthError', async () => {
    expect(AuthError.isInstance(await failWith({ type: 'status', status: 401 }))).toBe(true);
    expect(AuthError.isInstance(await failWith({ type: 'status', code: 'restricted_api_key' }))).toBe(true);
  });

  it('answers a wrong key with the real invalid_api_key, as an AuthError without the key', async () => {
    const wrong = 'resend-wrong-canary-99ab';
    const error = await createResendProvider({ apiKey: wrong, baseUrl: fake.url })
      .send(simpleMessage, sendContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_api_key', status: 403 });
    expect(findSecret(error, wrong)).toEqual([]);
  });

  it('keeps the request id from the answer’s headers', async () => {
    const error = await failWith({ type: 'status', status: 500 });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps a refused connection to a network error that was not sent, with the client it builds', async () => {
    const closed = await startFakeResend();
    const url = closed.url;
    await closed.close();
    const error = await createResendProvider({ apiKey: KEY, baseUrl: url })
      .send(simpleMessage, sendContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'network',
      outcome: 'not-sent',
      status: undefined,
      code: 'application_error',
    });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('cannot tell a refused connection from a lost answer with a plain Resend client: unknown outcome', async () => {
    const closed = await startFakeResend();
    const url = closed.url;
    await closed.close();
    const error = await createResendProvider({ client: new Resend(KEY, { baseUrl: url }) })
      .send(simpleMessage, sendContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', code: 'application_error' });
  });

  it('maps the real idempotency conflicts: a payload mismatch is final, a request in flight is retryable', async () => {
    const resend = provider();
    await resend.send(simpleMessage, sendContext({ idempotencyKey: 'same' }));
    const mismatch = await resend
      .send({ ...simpleMessage, subject: 'Other' }, sendContext({ idempotencyKey: 'same' }))
      .catch((caught: unknown) => caught);
    expect(mismatch).toMatchObject({
      kind: 'conflict',
      retryable: false,
      code: 'invalid_idempotent_request',
    });
    fake.faults.enqueue({ type: 'latency', ms: 150 });
    const first = resend.send(simpleMessage, sendContext({ idempotencyKey: 'slow' }));
    await vi.waitFor(() => expect(fake.requests.at(-1)?.idempotencyKey).toBe('slow'));
    const concurrent = await resend
      .send(simpleMessage, sendContext({ idempotencyKey: 'slow' }))
      .catch((caught: unknown) => caught);
    expect(concurrent).toMatchObject({
      kind: 'conflict',
      retryable: true,
      code: 'concurrent_idempotent_requests',
    });
    await first;
  });

  it('keeps the client, which shows the key, out of every error', async () => {
    const client = new Resend(KEY, { baseUrl: fake.url });
    // The hazard: the client shows the key to anyone who logs it.
    expect(findSecret(client, KEY)).toContain('util.inspect');
    fake.faults.enqueue({ type: 'status', status: 401 });
    const error = await createResendProvider({ client })
      .send(simpleMessage, sendContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth' });
    expect(findSecret(error, KEY)).toEqual([]);
  });
});
