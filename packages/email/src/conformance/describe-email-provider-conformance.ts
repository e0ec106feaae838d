import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkEmailProvider } from '../client/check-email-provider';
import {
  type ConformanceHarness,
  checkHarness,
  countsOf,
  directContext,
  type EmailProviderConformanceOptions,
  resolveConformanceOptions,
} from './conformance-harness';
import { expectNoSecret } from './expect-no-secret';
import { registerFaultTests } from './fault-tests';
import { registerResilienceTests } from './resilience-tests';

/**
 * Declares the conformance suite of an email provider in the caller's vitest file: call it at the top
 * level (or inside a `describe`). Before each test it calls `setup()` for a fresh harness, and closes it
 * after. The suite checks that:
 *
 * - the provider declares a name and its capabilities, and a send resolves with `{ provider, messageId }`
 *   after exactly one request (a batch too, when `capabilities.batch`);
 * - each fault of {@link EmailFaultType} rejects with the `ResilientError` its table says (kind, outcome,
 *   retryable, `retryAfterMs` for a rate limit), after exactly one request, and leaves the provider
 *   working;
 * - a hung send ends with core's `TimeoutError` at the attempt timeout, and the provider stops its
 *   request when the signal aborts;
 * - under core's retry, every attempt carries the same idempotency key (when the provider has
 *   `capabilities.idempotencyKeys`), and a delivered send whose response was lost is delivered once:
 *   replayed under the key, or not retried at all without keys;
 * - the API key never shows in `String(error)`, `JSON.stringify(error)` or
 *   `util.inspect(error, { depth: Infinity })`.
 *
 * @example
 * describeEmailProviderConformance({
 *   name: 'postmark',
 *   async setup() {
 *     const server = await startFakePostmark();
 *     return {
 *       provider: createPostmarkProvider({ serverToken: TOKEN, baseUrl: server.url, fetch: server.fetch }),
 *       apiKey: TOKEN,
 *       arrange: (fault) => server.failNext(fault),
 *       deliveries: () => server.deliveries.length,
 *       requests: () => server.requests,
 *       close: () => server.close(),
 *     };
 *   },
 * });
 */
export function describeEmailProviderConformance(options: EmailProviderConformanceOptions): void {
  const resolved = resolveConformanceOptions(options);
  describe(`${resolved.name}: email provider conformance`, () => {
    let current: ConformanceHarness | undefined;
    const harness = (): ConformanceHarness => {
      if (current === undefined)
        throw new Error('describeEmailProviderConformance: no harness (setup failed)');
      return current;
    };
    beforeEach(async () => {
      current = checkHarness(await resolved.setup());
    });
    afterEach(async () => {
      const closing = current;
      current = undefined;
      await closing?.close?.();
    });

    it('declares a name without spaces and its capabilities', () => {
      expect(() => checkEmailProvider(harness().provider, 'the provider')).not.toThrow();
    });

    it('sends a message in one request and resolves with its provider name and a message id', async () => {
      const { provider, apiKey } = harness();
      const before = await countsOf(harness());
      const result = await provider.send(resolved.message, directContext());
      expect(result.provider).toBe(provider.name);
      expect(result.messageId).toBeTypeOf('string');
      expect(result.messageId.length).toBeGreaterThan(0);
      const after = await countsOf(harness());
      expect(after.requests - before.requests, 'requests made').toBe(1);
      expect(after.deliveries - before.deliveries, 'messages delivered').toBe(1);
      expectNoSecret(result, apiKey, 'the send result');
    });

    it('sends a batch in one request and resolves with one result per message', async (context) => {
      const { provider } = harness();
      if (!provider.capabilities.batch || provider.sendBatch === undefined) {
        context.skip('the provider has no batch endpoint');
        return;
      }
      const before = await countsOf(harness());
      const results = await provider.sendBatch([resolved.message, resolved.message], directContext());
      expect(results).toHaveLength(2);
      expect(results.map((result) => result.provider)).toEqual([provider.name, provider.name]);
      expect(new Set(results.map((result) => result.messageId)).size, 'distinct message ids').toBe(2);
      const after = await countsOf(harness());
      expect(after.requests - before.requests, 'requests made').toBe(1);
      expect(after.deliveries - before.deliveries, 'messages delivered').toBe(2);
    });

    registerFaultTests(resolved, harness);
    registerResilienceTests(resolved, harness);
  });
}
