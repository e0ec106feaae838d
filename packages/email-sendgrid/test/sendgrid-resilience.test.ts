import {
  constantBackoff,
  type ExecuteOptions,
  type ResilientPipeline,
  resilient,
  TimeoutError,
} from '@resilient/core';
import type { EmailMessage, EmailProvider } from '@resilient/email';
import { type FakeSendGrid, findSecret, startFakeSendGrid } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendGridProvider } from '../src/create-sendgrid-provider';
import { simpleMessage } from './support';

const KEY = 'SG.canary-7f3a9c2d41';
let fake: FakeSendGrid;
let provider: EmailProvider;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: KEY });
  provider = createSendGridProvider({ apiKey: KEY, baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function pipeline(overrides: Partial<Parameters<typeof resilient>[0]> = {}): ResilientPipeline {
  return resilient({
    service: 'sendgrid',
    attemptTimeoutMs: 1_000,
    totalTimeoutMs: 5_000,
    retry: { maxAttempts: 3, backoff: constantBackoff(10) },
    circuitBreaker: false,
    ...overrides,
  });
}

function send(policy: ResilientPipeline, message: EmailMessage, options: ExecuteOptions = {}) {
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

describe('SendGrid under resilient()', () => {
  it('does not retry an applied send whose answer was lost: one delivery and a typed network error', async () => {
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const outcome = await settle(send(pipeline(), simpleMessage));
    expect(outcome).toMatchObject({
      error: { kind: 'network', outcome: 'unknown', service: 'sendgrid', attempts: 1 },
    });
    expect(findSecret((outcome as { error: unknown }).error, KEY)).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('retries a lost answer only under the caller’s explicit idempotent: true, and then delivers twice', async () => {
    // The opt-in trades a possible duplicate for delivery: SendGrid has no idempotency keys to prevent it.
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const result = await send(pipeline(), simpleMessage, { idempotent: true });
    expect(result.messageId).toBe(fake.deliveries[1]?.messageId);
    expect(fake.deliveries).toHaveLength(2);
  });

  it('retries a 503, which SendGrid refused, and delivers once', async () => {
    fake.faults.enqueue({ type: 'status', status: 503 });
    const result = await send(pipeline(), simpleMessage);
    expect(result.messageId).toBe(fake.deliveries[0]?.messageId);
    expect(fake.requests).toHaveLength(2);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('does not retry a reset before the answer: SendGrid may have applied it', async () => {
    fake.faults.enqueue({ type: 'reset' });
    const outcome = await settle(send(pipeline(), simpleMessage));
    expect(outcome).toMatchObject({ error: { kind: 'network', outcome: 'unknown', attempts: 1 } });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('retries a refused connection, which was never sent', async () => {
    const closed = await startFakeSendGrid();
    const url = closed.url;
    await closed.close();
    const unreachable = createSendGridProvider({ apiKey: KEY, baseUrl: url });
    const outcome = await settle(
      pipeline().execute(({ signal, attempt }) =>
        unreachable.send(simpleMessage, { signal, attempt, idempotencyKey: 'none' }),
      ),
    );
    expect(outcome).toMatchObject({ error: { kind: 'network', outcome: 'not-sent', attempts: 3 } });
  });

  it('ends a hang with core’s attempt timeout, as a typed TimeoutError, without retrying the unknown outcome', async () => {
    fake.faults.enqueue({ type: 'hang' });
    const outcome = await settle(send(pipeline({ attemptTimeoutMs: 100 }), simpleMessage));
    const error = (outcome as { error: unknown }).error;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'timeout', scope: 'attempt', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('ends a hang with the provider’s own timeout when it is the shorter one', async () => {
    const quick = createSendGridProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 100 });
    fake.faults.enqueue({ type: 'hang' });
    const outcome = await settle(
      pipeline().execute(({ signal, attempt }) =>
        quick.send(simpleMessage, { signal, attempt, idempotencyKey: 'none' }),
      ),
    );
    expect(outcome).toMatchObject({
      error: { kind: 'timeout', code: 'ECONNABORTED', outcome: 'unknown', attempts: 1 },
    });
  });

  it('does not retry an auth failure', async () => {
    fake.faults.enqueue({ type: 'status', status: 401 });
    const outcome = await settle(send(pipeline(), simpleMessage));
    expect(outcome).toMatchObject({ error: { kind: 'auth', attempts: 1 } });
    expect(fake.requests).toHaveLength(1);
  });
});
