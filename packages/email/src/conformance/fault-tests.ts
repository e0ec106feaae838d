import { ResilientError } from '@resilient/core';
import { expect, it } from 'vitest';
import type { ConformanceHarness, ResolvedConformanceOptions } from './conformance-harness';
import { countsOf, directContext } from './conformance-harness';
import { EMAIL_FAULT_TYPES, FAULT_EXPECTATIONS, faultOf } from './email-fault';
import { expectNoSecret } from './expect-no-secret';

/** The `Retry-After` the suite arranges for a rate limit, in seconds. */
const RETRY_AFTER_SECONDS = 7;

/** @internal One test per fault: the provider's error says what happened, and the fake agrees. */
export function registerFaultTests(
  options: ResolvedConformanceOptions,
  harness: () => ConformanceHarness,
): void {
  for (const type of EMAIL_FAULT_TYPES) {
    if (type === 'hang') continue;
    const expected = FAULT_EXPECTATIONS[type];
    const title = `reports ${type} as ${expected.kind}, outcome ${expected.outcome}, ${expected.retryable ? 'retryable' : 'not retryable'}, with no API key in the error`;
    if (options.unsupportedFaults.has(type)) {
      it.skip(`${title} (declared unsupported)`, () => {});
      continue;
    }
    it(title, async () => {
      const { provider, apiKey } = harness();
      const before = await countsOf(harness());
      await harness().arrange(faultOf(type, RETRY_AFTER_SECONDS));
      const error = await rejectionOf(provider.send(options.message, directContext()));

      expect(ResilientError.isInstance(error), `${provider.name} must reject with a ResilientError`).toBe(
        true,
      );
      const failure = error as ResilientError;
      expect({ kind: failure.kind, outcome: failure.outcome, retryable: failure.retryable }).toEqual({
        kind: expected.kind,
        outcome: expected.outcome,
        retryable: expected.retryable,
      });
      expect(failure.service ?? provider.name, 'the error names the provider as its service').toBe(
        provider.name,
      );
      if (type === 'rate-limit') expectRetryAfter(failure);
      const after = await countsOf(harness());
      expect(after.requests - before.requests, 'requests made (a provider never retries by itself)').toBe(
        expected.reachesServer ? 1 : 0,
      );
      expect(after.deliveries - before.deliveries, 'messages the fake delivered').toBe(
        expected.delivered ? 1 : 0,
      );
      expectNoSecret(error, apiKey, `the ${type} error`);

      // The fault was for one request only: the provider must not be left broken.
      const next = await provider.send(options.message, directContext());
      expect(next.provider).toBe(provider.name);
    });
  }
}

/** `retryAfterMs` from the fake's `Retry-After: 7` (an HTTP-date form may round down by a second). */
function expectRetryAfter(error: ResilientError): void {
  expect(error.retryAfterMs, 'retryAfterMs from the Retry-After header').toBeTypeOf('number');
  expect(error.retryAfterMs).toBeGreaterThanOrEqual((RETRY_AFTER_SECONDS - 2) * 1000);
  expect(error.retryAfterMs).toBeLessThanOrEqual(RETRY_AFTER_SECONDS * 1000);
}

/** @internal What `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    expect.fail(`expected the send to fail, but it resolved with ${JSON.stringify(value)}`);
  } catch (error) {
    if (isAssertion(error)) throw error;
    return error;
  }
}

function isAssertion(error: unknown): boolean {
  return error instanceof Error && error.name === 'AssertionError';
}
