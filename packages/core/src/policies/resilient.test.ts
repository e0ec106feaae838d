import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, networkError, never, settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { ResilientError } from '../errors/resilient-error';
import { circuitBreaker } from './breaker/circuit-breaker';
import { pipeline } from './pipeline';
import { RESILIENT_DEFAULTS, resilient } from './resilient';
import { constantBackoff } from './retry/backoff';
import { retry } from './retry/retry';
import { timeout } from './timeout/timeout';

describe('resilient', () => {
  it('builds the standard pipeline in the documented order', () => {
    const policy = resilient({
      service: 'stripe',
      bulkhead: { maxConcurrent: 5 },
      rateLimit: { limit: 25 },
      fallback: { value: null },
    });
    expect(policy.policies.map((part) => part.constructor.name)).toEqual([
      'FallbackPolicy',
      'TimeoutPolicy',
      'BulkheadPolicy',
      'RetryPolicy',
      'CircuitBreakerPolicy',
      'RateLimiterPolicy',
      'TimeoutPolicy',
    ]);
    expect(policy.breaker?.name).toBe('stripe');
    const defaults = resilient({ service: 'resend' });
    expect(defaults.policies.map((part) => part.constructor.name)).toEqual([
      'TimeoutPolicy',
      'RetryPolicy',
      'CircuitBreakerPolicy',
      'TimeoutPolicy',
    ]);
    expect(defaults.retryPolicy?.maxAttempts).toBe(3);
    expect(RESILIENT_DEFAULTS.totalTimeoutMs).toBe(30_000);
  });

  it('leaves out the parts set to false', () => {
    const policy = resilient({ service: 'x', retry: false, circuitBreaker: false, totalTimeoutMs: false });
    expect(policy.policies.map((part) => part.constructor.name)).toEqual(['TimeoutPolicy']);
    expect(policy.breaker).toBeUndefined();
  });

  it('stamps the service on every error', async () => {
    const policy = resilient({ service: 'sendgrid', retry: false });
    const settled = await settle(policy.execute(async () => Promise.reject(httpError(401))));
    expect(!settled.ok && settled.error.service).toBe('sendgrid');
    expect(!settled.ok && settled.error.message).toMatch(/^sendgrid: /);
  });

  it('recovers from transient failures and reports success', async () => {
    const clock = new FakeClock();
    const policy = resilient({ service: 'x', clock, retry: { backoff: constantBackoff(100) } });
    let calls = 0;
    const result = settle(
      policy.execute(async () => {
        calls++;
        if (calls < 3) throw httpError(503);
        return 'sent';
      }),
    );
    await clock.advance(100);
    await clock.advance(100);
    expect(await result).toEqual({ ok: true, value: 'sent' });
  });

  it('stops retrying once the breaker opens, and fails fast after that', async () => {
    const clock = new FakeClock();
    const policy = resilient({
      service: 'x',
      clock,
      retry: { maxAttempts: 5, backoff: constantBackoff(0) },
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 2 } },
    });
    let calls = 0;
    const settled = await settle(
      policy.execute(async () => {
        calls++;
        throw httpError(503);
      }),
    );
    expect(calls).toBe(2);
    expect(!settled.ok && settled.error.kind).toBe('circuit-open');
    expect(!settled.ok && settled.error.attempts).toBe(2);
    const next = await settle(
      policy.execute(async () => {
        calls++;
        return 'x';
      }),
    );
    expect(!next.ok && next.error.kind).toBe('circuit-open');
    expect(calls).toBe(2);
  });

  it.each([
    [
      { service: 'x', totalTimeoutMs: 1_000, attemptTimeoutMs: 2_000 },
      /totalTimeoutMs \(1000\) must be at least attemptTimeoutMs \(2000\)/,
    ],
    [
      {
        service: 'x',
        attemptTimeoutMs: 20_000,
        circuitBreaker: { strategy: { type: 'sampling', windowMs: 30_000 } },
      },
      /windowMs \(30000\) must be at least twice attemptTimeoutMs \(20000\)/,
    ],
    [{ service: '' }, /service must be a non-empty string/],
    [{}, /service is required/],
    [
      { service: 'x', totalTimeoutMs: -1 },
      /totalTimeoutMs must be a number greater than 0 and at most 2147483647; got -1/,
    ],
    [
      { service: 'x', retry: { maxAttempts: 1000 } },
      /retry: maxAttempts must be an integer from 1 to 100; got 1000/,
    ],
    [{ service: 'x', circuitBreaker: { halfOpenProbes: 0 } }, /halfOpenProbes must be an integer from 1/],
    [{ service: 'x', retries: 3 }, /unknown option "retries"/],
  ])('checks options and combinations at construction: %#', (options, message) => {
    expect(() => resilient(options as never)).toThrow(message);
  });

  it('regression 10: every call settles with the result or a typed error, whatever the provider does', async () => {
    const outcome = fc.constantFrom(
      'ok',
      '400',
      '401',
      '429',
      '500',
      '503',
      'reset',
      'refused',
      'hang',
      'throw',
      'undefined',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcome, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (script, idempotent) => {
          const clock = new FakeClock();
          const policy = resilient({
            service: 'p',
            clock,
            random: () => 0.5,
            attemptTimeoutMs: 1_000,
            totalTimeoutMs: 10_000,
            retry: { backoff: constantBackoff(10) },
            circuitBreaker: { strategy: { type: 'consecutive', threshold: 3 } },
          });
          let call = 0;
          const fn = async () => {
            const step = script[Math.min(call++, script.length - 1)];
            switch (step) {
              case 'ok':
                return 'value';
              case 'undefined':
                return undefined;
              case 'reset':
                throw networkError('ECONNRESET');
              case 'refused':
                throw networkError('ECONNREFUSED');
              case 'hang':
                return never<string>();
              case 'throw':
                throw new TypeError('bug');
              default:
                throw httpError(Number(step), { headers: { 'retry-after': '0' } });
            }
          };
          const result = settle(policy.execute(fn, { idempotent }));
          await clock.advance(10_000);
          const settled = result.settled();
          expect(settled).toBeDefined();
          if (settled!.ok) expect(['value', undefined]).toContain(settled!.value);
          else {
            expect(ResilientError.isInstance(settled!.error)).toBe(true);
            expect(settled!.error.attempts).toBeGreaterThanOrEqual(1);
            expect(settled!.error.attempts).toBeLessThanOrEqual(3);
          }
          // A result of undefined only when the provider returned undefined.
          if (settled!.ok && settled!.value === undefined) expect(script).toContain('undefined');
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('pipeline', () => {
  it('runs policies outermost first and flattens nested pipelines', async () => {
    const clock = new FakeClock();
    const order: string[] = [];
    const inner = pipeline(retry({ clock, backoff: constantBackoff(0) }), circuitBreaker({ clock }));
    const outer = pipeline([timeout(1_000, { clock }), inner], { service: 'svc' });
    expect(outer.policies).toHaveLength(3);
    await outer.execute(async ({ attempt }) => order.push(`attempt ${attempt}`));
    expect(order).toEqual(['attempt 1']);
  });

  it('shares a policy’s state between pipelines', async () => {
    const breaker = circuitBreaker({ strategy: { type: 'consecutive', threshold: 1 } });
    const first = pipeline(breaker);
    const second = pipeline(retry({ backoff: constantBackoff(0) }), breaker);
    await settle(first.execute(async () => Promise.reject(httpError(500))));
    const settled = await settle(second.execute(async () => 'x'));
    expect(!settled.ok && settled.error.kind).toBe('circuit-open');
  });

  it('with no policies, runs the function once', async () => {
    expect(await pipeline().execute(async ({ attempt }) => attempt)).toBe(1);
  });

  it('refuses things that are not policies', () => {
    expect(() => pipeline({ execute: async () => 1 } as never)).toThrow(/policy 1 is not a policy/);
  });
});

describe("resilient: the pipeline's plugins and its breaker", () => {
  it('should tell the pipeline plugins of breaker changes made outside a call, once each', async () => {
    const changes: string[] = [];
    const policy = resilient({
      service: 'stripe',
      plugins: [
        { name: 'recorder', onBreakerStateChange: (event) => changes.push(`${event.from}->${event.to}`) },
      ],
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 } },
      retry: false,
    });
    policy.breaker?.isolate();
    policy.breaker?.reset();
    await settle(policy.execute(() => Promise.reject(httpError(503)))); // inside a call: told once, not twice
    expect(changes).toEqual(['closed->isolated', 'isolated->closed', 'closed->open']);
  });
});
