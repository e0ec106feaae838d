import {
  constantBackoff,
  type ExecuteOptions,
  RateLimitError,
  type ResilientPipeline,
  resilient,
  TimeoutError,
} from '@resilient/core';
import type { EmailMessage, EmailProvider } from '@resilient/email';
import { type FakeResend, findSecret, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { simpleMessage } from './support';

const KEY = 'resend-canary-5b1f0c2e';
let fake: FakeResend;
let provider: EmailProvider;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: KEY });
  provider = createResendProvider({ apiKey: KEY, baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** A standard pipeline with short waits: real HTTP, no long sleeps. */
function pipeline(overrides: Partial<Parameters<typeof resilient>[0]> = {}): ResilientPipeline {
  return resilient({
    service: 'resend',
    attemptTimeoutMs: 1_000,
    totalTimeoutMs: 5_000,
    retry: { maxAttempts: 3, backoff: constantBackoff(10) },
    circuitBreaker: false,
    ...overrides,
  });
}

/** Sends through the pipeline the way the email client does: the attempt's signal and the logical send's key. */
function send(policy: ResilientPipeline, message: EmailMessage, options: ExecuteOptions) {
  return policy.execute(
    ({ signal, attempt, idempotencyKey }) =>
      provider.send(message, { signal, attempt, idempotencyKey: idempotencyKey ?? 'none' }),
    options,
  );
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('Resend under resilient()', () => {
  it('retries an applied send whose answer was lost under the same key, and delivers exactly one email', async () => {
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const result = await send(pipeline(), simpleMessage, { idempotencyKey: 'welcome-user-42' });
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual([
      'welcome-user-42',
      'welcome-user-42',
    ]);
    expect(fake.deliveries).toHaveLength(1);
    expect(result).toEqual({ provider: 'resend', messageId: fake.deliveries[0]?.id });
  });

  it('does not retry a lost answer without an idempotency key or idempotent flag', async () => {
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const outcome = await settle(send(pipeline(), simpleMessage, {}));
    expect(outcome).toMatchObject({ error: { kind: 'network', outcome: 'unknown', attempts: 1 } });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('ends a hung attempt with the attempt timeout and succeeds on the retry, sending once', async () => {
    fake.faults.enqueue({ type: 'hang' });
    const result = await send(pipeline({ attemptTimeoutMs: 150 }), simpleMessage, {
      idempotencyKey: 'hang-1',
    });
    expect(result.messageId).toBe(fake.deliveries[0]?.id);
    expect(fake.requests).toHaveLength(2);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('retries a refused connection even without a key, since it never left', async () => {
    const closed = await startFakeResend();
    await closed.close();
    const unreachable = createResendProvider({ apiKey: KEY, baseUrl: closed.url });
    const outcome = await settle(
      pipeline().execute(({ signal, attempt }) =>
        unreachable.send(simpleMessage, { signal, attempt, idempotencyKey: 'k' }),
      ),
    );
    expect(outcome).toMatchObject({ error: { kind: 'network', outcome: 'not-sent', attempts: 3 } });
  });

  it('ends in a typed TimeoutError, never a hang, when every attempt hangs', async () => {
    fake.faults.repeat({ type: 'hang' }, 5);
    const outcome = await settle(
      send(pipeline({ attemptTimeoutMs: 100, totalTimeoutMs: 1_000, retry: false }), simpleMessage, {
        idempotencyKey: 'hang-2',
      }),
    );
    expect(TimeoutError.isInstance((outcome as { error: unknown }).error)).toBe(true);
    expect(outcome).toMatchObject({ error: { kind: 'timeout', scope: 'attempt', service: 'resend' } });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('waits out a rate limit for as long as retry-after says, then sends', async () => {
    fake.faults.enqueue({ type: 'status', code: 'rate_limit_exceeded', retryAfterSeconds: 0 });
    const result = await send(pipeline(), simpleMessage, { idempotencyKey: 'limited' });
    expect(result.messageId).toBe(fake.deliveries[0]?.id);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a daily quota', async () => {
    fake.faults.enqueue({ type: 'status', code: 'daily_quota_exceeded' });
    const outcome = await settle(send(pipeline(), simpleMessage, { idempotencyKey: 'quota' }));
    expect(RateLimitError.isInstance((outcome as { error: unknown }).error)).toBe(true);
    expect(outcome).toMatchObject({ error: { kind: 'quota-exceeded', attempts: 1 } });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a payload mismatch under a reused key', async () => {
    await send(pipeline(), simpleMessage, { idempotencyKey: 'reused' });
    const outcome = await settle(
      send(pipeline(), { ...simpleMessage, subject: 'Changed' }, { idempotencyKey: 'reused' }),
    );
    expect(outcome).toMatchObject({
      error: { kind: 'conflict', code: 'invalid_idempotent_request', attempts: 1 },
    });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('retries a concurrent request under the same key until the first is done, and gets its answer', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 100 });
    const first = send(pipeline(), simpleMessage, { idempotencyKey: 'twice-clicked' });
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    // core's default retryOn lists kinds, and `conflict` is not among them even when the error says it is
    // retryable; retry on `retryable` itself.
    const retryOn = (error: { retryable: boolean }) => error.retryable;
    const second = await send(
      pipeline({ retry: { maxAttempts: 5, backoff: constantBackoff(60), retryOn } }),
      simpleMessage,
      { idempotencyKey: 'twice-clicked' },
    );
    expect(second).toEqual(await first);
    expect(fake.requests[1]?.idempotencyKey).toBe('twice-clicked');
    expect(fake.deliveries).toHaveLength(1);
  });

  it('retries a 503 and a reset under a key, and ends with one delivery', async () => {
    fake.faults.enqueue({ type: 'status', status: 503 }, { type: 'reset' });
    const result = await send(pipeline(), simpleMessage, { idempotencyKey: 'flaky' });
    expect(result.messageId).toBe(fake.deliveries[0]?.id);
    expect(fake.requests).toHaveLength(3);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('ends every send of a random fault storm in a result or a typed error, without the key, and delivers each key once', async () => {
    fake.faults.atRandom({
      seed: 2024,
      probability: 0.5,
      faults: [
        { type: 'applied-response-lost' },
        { type: 'reset' },
        { type: 'hang' },
        { type: 'malformed-body' },
        { type: 'status', status: 500 },
        { type: 'status', code: 'rate_limit_exceeded', retryAfterSeconds: 0 },
      ],
    });
    const policy = pipeline({
      attemptTimeoutMs: 150,
      retry: { maxAttempts: 4, backoff: constantBackoff(5), budget: false },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        settle(
          send(policy, { ...simpleMessage, subject: `Storm ${index}` }, { idempotencyKey: `storm-${index}` }),
        ),
      ),
    );
    for (const outcome of outcomes) {
      if ('error' in outcome) {
        expect(outcome.error).toMatchObject({ kind: expect.any(String), service: 'resend' });
        expect(findSecret(outcome.error, KEY)).toEqual([]);
      } else {
        expect(outcome.value.provider).toBe('resend');
      }
    }
    const keys = fake.deliveries.map((delivery) => delivery.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(outcomes.filter((outcome) => 'value' in outcome).length).toBeGreaterThan(0);
  });
});
