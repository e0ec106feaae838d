import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpError, settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { circuitBreaker } from '../policies/breaker/circuit-breaker';
import { bulkhead } from '../policies/bulkhead';
import { fallback } from '../policies/fallback';
import { pipeline } from '../policies/pipeline';
import { rateLimiter } from '../policies/rate-limiter';
import { resilient } from '../policies/resilient';
import { constantBackoff } from '../policies/retry/backoff';
import { retry } from '../policies/retry/retry';
import { incidentGate } from './incident-gate';
import type { ResiliencePlugin } from './plugin';
import { onPluginError, registerPlugin } from './plugin-registry';

function recorder() {
  const events: string[] = [];
  const plugin: ResiliencePlugin = {
    name: 'recorder',
    onOperationStart: ({ operation }) =>
      events.push(`operation start ${operation.service}/${operation.operation}`),
    onOperationEnd: ({ outcome, attempts, error }) =>
      events.push(`operation end ${outcome} ${attempts}${error ? ` ${error.kind}` : ''}`),
    onAttemptStart: ({ attempt, delayMs }) => events.push(`attempt start ${attempt} after ${delayMs}`),
    onAttemptEnd: ({ attempt, kind }) => events.push(`attempt end ${attempt} ${kind ?? 'ok'}`),
    onRetryScheduled: ({ attempt, delayMs, error }) =>
      events.push(`retry after ${attempt} in ${delayMs} (${error?.kind})`),
    onBreakerStateChange: ({ from, to }) => events.push(`breaker ${from} -> ${to}`),
    onRejected: ({ rejectedBy, error }) => events.push(`rejected by ${rejectedBy} (${error.kind})`),
    onFallback: ({ error }) => events.push(`fallback for ${error.kind}`),
  };
  return { events, plugin };
}

afterEach(() => onPluginError(undefined));

describe('hooks', () => {
  it('reports the operation, each attempt with its delay, and each retry', async () => {
    const { events, plugin } = recorder();
    const clock = new FakeClock();
    const policy = pipeline([retry({ clock, backoff: constantBackoff(100) })], {
      service: 'stripe',
      operation: 'customers.create',
      plugins: [plugin],
      clock,
    });
    let calls = 0;
    const result = settle(policy.execute(async () => (++calls < 2 ? Promise.reject(httpError(503)) : 'ok')));
    await clock.advance(100);
    await result;
    expect(events).toEqual([
      'operation start stripe/customers.create',
      'attempt start 1 after 0',
      'attempt end 1 unavailable',
      'retry after 1 in 100 (unavailable)',
      'attempt start 2 after 100',
      'attempt end 2 ok',
      'operation end success 2',
    ]);
  });

  it('reports breaker transitions, rejections and fallbacks', async () => {
    const { events, plugin } = recorder();
    const breaker = circuitBreaker({ strategy: { type: 'consecutive', threshold: 1 } });
    const policy = pipeline([fallback({ value: 'cached' }), breaker], {
      service: 'resend',
      plugins: [plugin],
    });
    expect(await policy.execute(async () => Promise.reject(httpError(500)))).toBe('cached');
    expect(await policy.execute(async () => 'fresh')).toBe('cached');
    expect(events).toContain('breaker closed -> open');
    expect(events).toContain('fallback for server');
    expect(events).toContain('rejected by circuit-breaker (circuit-open)');
    expect(events.filter((event) => event.startsWith('operation end'))).toEqual([
      'operation end fallback 1',
      'operation end fallback 0',
    ]);
  });

  it('names the breaker that refused, and its state', async () => {
    const rejections: string[] = [];
    const plugin: ResiliencePlugin = {
      name: 'rejections',
      onRejected: ({ breaker, breakerState }) => rejections.push(`${breaker} ${breakerState}`),
    };
    const breaker = circuitBreaker({ name: 'payments', service: 'stripe' });
    breaker.isolate();
    await settle(pipeline([breaker], { plugins: [plugin] }).execute(async () => 'x'));
    expect(rejections).toEqual(['payments isolated']);
  });

  it('reports bulkhead and rate-limiter rejections', async () => {
    const { events, plugin } = recorder();
    const limiter = pipeline([rateLimiter({ limit: 1 })], { plugins: [plugin] });
    await limiter.execute(async () => 1);
    await settle(limiter.execute(async () => 2));
    const full = pipeline([bulkhead({ maxConcurrent: 1 })], { plugins: [plugin] });
    const blocked = full.execute(() => new Promise((resolve) => setTimeout(resolve, 1)));
    await settle(full.execute(async () => 3));
    await blocked;
    expect(events).toContain('rejected by rate-limiter (rate-limiter-rejected)');
    expect(events).toContain('rejected by bulkhead (bulkhead-rejected)');
  });

  it('calls plugins registered for the whole process, and stops after unregistering', async () => {
    const { events, plugin } = recorder();
    const unregister = registerPlugin(plugin);
    try {
      await retry().execute(async () => 'ok');
      expect(events).toContain('operation end success 1');
    } finally {
      unregister();
    }
    events.length = 0;
    await retry().execute(async () => 'ok');
    expect(events).toEqual([]);
  });

  it('never lets a throwing hook break the call, and reports it once per hook', async () => {
    const reports: string[] = [];
    onPluginError((error, plugin, hook) =>
      reports.push(`${plugin.name}.${hook}: ${(error as Error).message}`),
    );
    const broken: ResiliencePlugin = {
      name: 'broken',
      onOperationStart: () => {
        throw new Error('start');
      },
      onAttemptEnd: () => {
        throw new Error('end');
      },
      wrapAttempt: () => {
        throw new Error('wrap');
      },
    };
    const policy = pipeline([retry({ backoff: constantBackoff(0) })], { plugins: [broken] });
    let calls = 0;
    expect(await policy.execute(async () => (++calls < 2 ? Promise.reject(httpError(503)) : 'ok'))).toBe(
      'ok',
    );
    expect(calls).toBe(2);
    expect(reports).toContain('broken.onOperationStart: start');
    expect(reports).toContain('broken.onAttemptEnd: end');
    expect(reports).toContain('broken.wrapAttempt: wrap');
  });

  it('warns once per plugin and hook by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken: ResiliencePlugin = {
      name: 'noisy',
      onOperationEnd: () => {
        throw new Error('boom');
      },
    };
    const policy = pipeline([retry()], { plugins: [broken] });
    for (let call = 0; call < 5; call++) await policy.execute(async () => call);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/plugin "noisy" threw in onOperationEnd/);
  });

  it('runs the attempt inside wrapAttempt, exactly once, and keeps its result', async () => {
    const seen: string[] = [];
    const wrapper: ResiliencePlugin = {
      name: 'context',
      wrapAttempt: (event, run) => {
        seen.push(`enter ${event.attempt}`);
        const result = run();
        seen.push(`leave ${event.attempt}`);
        return result;
      },
    };
    const policy = pipeline([retry()], { plugins: [wrapper] });
    expect(
      await policy.execute(async () => {
        seen.push('run');
        return 42;
      }),
    ).toBe(42);
    expect(seen).toEqual(['enter 1', 'run', 'leave 1']);
  });

  it('regression 8: a revoked key pages once, not on every 401', async () => {
    const pages: string[] = [];
    const gate = incidentGate();
    const alerts: ResiliencePlugin = {
      name: 'auth-alerts',
      onOperationEnd: ({ operation, error }) => {
        const key = `${operation.service}:auth`;
        if (error?.kind === 'auth') {
          if (gate.shouldNotify(key)) pages.push(`${operation.service}: API key refused`);
        } else if (!error) gate.resolve(key);
      },
    };
    const policy = resilient({ service: 'stripe', plugins: [alerts] });
    let calls = 0;
    const revoked = async () => {
      calls++;
      throw httpError(401);
    };
    for (let call = 0; call < 10_000; call++) await settle(policy.execute(revoked));
    expect(pages).toEqual(['stripe: API key refused']);
    expect(calls).toBe(10_000); // 401 is never retried
    expect(policy.breaker?.state).toBe('closed'); // and never counted against the provider
    await policy.execute(async () => 'rotated key works');
    await settle(policy.execute(revoked));
    expect(pages).toHaveLength(2);
  });

  it('incidentGate notifies again after its cooldown', () => {
    const clock = new FakeClock();
    const gate = incidentGate({ clock, cooldownMs: 1_000 });
    expect(gate.shouldNotify('k')).toBe(true);
    expect(gate.shouldNotify('k')).toBe(false);
    expect(gate.open).toEqual(['k']);
    return clock.advance(1_000).then(() => expect(gate.shouldNotify('k')).toBe(true));
  });
});
