import { constantBackoff, resilient, TimeoutError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { expect, it } from 'vitest';
import { type SendResult, toSendContext } from '../email-provider';
import {
  type ConformanceHarness,
  countsOf,
  newKey,
  type ResolvedConformanceOptions,
} from './conformance-harness';
import { expectNoSecret } from './expect-no-secret';
import { rejectionOf } from './fault-tests';

const ATTEMPT_TIMEOUT_MS = 1_000;

/**
 * @internal Tests that run the provider under core's policies, as the email client does: a hang ends at
 * the attempt timeout, retries carry the key, and a lost response never turns into a second email.
 */
export function registerResilienceTests(
  options: ResolvedConformanceOptions,
  harness: () => ConformanceHarness,
): void {
  it('ends a hung send with a TimeoutError at the attempt timeout, and stops the request', async () => {
    const { provider, apiKey } = harness();
    const clock = new FakeClock();
    const policy = resilient({
      service: provider.name,
      clock,
      totalTimeoutMs: false,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      retry: false,
      circuitBreaker: false,
    });
    const before = await countsOf(harness());
    await harness().arrange({ type: 'hang' });
    let stopped = false;
    const outcome = rejectionOf(
      policy.execute((context) => {
        const call = provider.send(options.message, toSendContext(context, newKey()));
        call.then(
          () => {
            stopped = true;
          },
          () => {
            stopped = true;
          },
        );
        return call;
      }),
    );
    const wait = { timeout: options.waitTimeoutMs, interval: 5 };
    await expect.poll(async () => (await harness().requests()).length, wait).toBe(before.requests + 1);
    await clock.advance(ATTEMPT_TIMEOUT_MS);
    const error = await outcome;
    expect(TimeoutError.isInstance(error), 'a hung send ends with core TimeoutError').toBe(true);
    expect((error as TimeoutError).outcome).toBe('unknown');
    expectNoSecret(error, apiKey, 'the timeout error');
    if (options.honoursAbortSignal) {
      await expect
        .poll(() => stopped, { ...wait, message: 'the provider stops its request on abort' })
        .toBe(true);
    }
  });

  it('retries a refused send under the same idempotency key, and delivers it once', async () => {
    const { provider } = harness();
    const key = newKey();
    const before = await countsOf(harness());
    await harness().arrange({ type: 'unavailable' });
    const result = await retrying(provider.name).execute(
      (context) => provider.send(options.message, toSendContext(context, key)),
      { idempotencyKey: provider.capabilities.idempotencyKeys ? key : undefined },
    );
    expectResult(result, provider.name);
    const after = await countsOf(harness());
    expect(after.requests - before.requests, 'requests: the refused one and the retry').toBe(2);
    expect(after.deliveries - before.deliveries, 'messages delivered').toBe(1);
    if (provider.capabilities.idempotencyKeys) {
      const keys = (await harness().requests()).slice(-2).map((request) => request.idempotencyKey);
      expect(keys, 'the same idempotency key on every attempt').toEqual([key, key]);
    }
  });

  it('never delivers twice when the response to a delivered send is lost', async () => {
    const { provider } = harness();
    const key = newKey();
    const idempotent = provider.capabilities.idempotencyKeys;
    const before = await countsOf(harness());
    await harness().arrange({ type: 'applied-response-lost' });
    const sending = retrying(provider.name).execute(
      (context) => provider.send(options.message, toSendContext(context, key)),
      // As the email client does: a key for core only where the provider deduplicates.
      { idempotencyKey: idempotent ? key : undefined },
    );
    if (idempotent) {
      // The key makes the retry safe: the provider replays the first result instead of sending again.
      expectResult(await sending, provider.name);
      const keys = (await harness().requests()).slice(-2).map((request) => request.idempotencyKey);
      expect(keys, 'the same idempotency key on every attempt').toEqual([key, key]);
    } else {
      // Without keys, the unknown outcome must stop core from retrying.
      const error = await rejectionOf(sending);
      expect((error as { outcome?: unknown }).outcome, 'a lost response leaves the outcome unknown').toBe(
        'unknown',
      );
      expect((error as { attempts?: unknown }).attempts, 'no retry without an idempotency key').toBe(1);
    }
    const after = await countsOf(harness());
    expect(after.deliveries - before.deliveries, 'messages delivered').toBe(1);
    expect(after.requests - before.requests, 'requests made').toBe(idempotent ? 2 : 1);
  });
}

/** Up to three attempts with no delay, no timeouts and no breaker: only the provider's errors decide. */
function retrying(service: string) {
  return resilient({
    service,
    totalTimeoutMs: false,
    attemptTimeoutMs: false,
    retry: { maxAttempts: 3, backoff: constantBackoff(0), budget: false },
    circuitBreaker: false,
  });
}

function expectResult(result: SendResult, provider: string): void {
  expect(result.provider).toBe(provider);
  expect(result.messageId).toBeTypeOf('string');
  expect(result.messageId.length).toBeGreaterThan(0);
}
