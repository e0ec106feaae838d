import { describe, expect, it } from 'vitest';
import { httpError, settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { circuitBreaker } from './breaker/circuit-breaker';
import { fallback } from './fallback';
import { pipeline } from './pipeline';

describe('fallback', () => {
  it('regression 9: falls back when the breaker is open, not only on a 5xx', async () => {
    const clock = new FakeClock();
    const breaker = circuitBreaker({ clock, strategy: { type: 'consecutive', threshold: 1 } });
    const policy = pipeline(fallback({ value: 'cached' }), breaker);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw httpError(500);
    };
    expect(await policy.execute(failing)).toBe('cached');
    expect(breaker.state).toBe('open');
    expect(await policy.execute(failing)).toBe('cached');
    expect(calls).toBe(1);
  });

  it('computes the fallback from the error', async () => {
    const policy = fallback({ handler: (error) => `fallback for ${error.kind}` });
    expect(await policy.execute(async () => Promise.reject(httpError(503)))).toBe('fallback for unavailable');
  });

  it('does not fall back for kinds it was not asked to, nor for the caller’s own mistakes by default', async () => {
    const policy = fallback({ value: 'x' });
    const settled = await settle(policy.execute(async () => Promise.reject(httpError(400))));
    expect(!settled.ok && settled.error.kind).toBe('invalid-request');
    const onlyServer = fallback({ value: 'x', when: ['server'] });
    expect((await settle(onlyServer.execute(async () => Promise.reject(httpError(503))))).ok).toBe(false);
    expect(await onlyServer.execute(async () => Promise.reject(httpError(500)))).toBe('x');
  });

  it('never falls back when the caller aborted', async () => {
    const policy = fallback({ value: 'x', when: () => true });
    const settled = await settle(policy.execute(async () => 'y', { signal: AbortSignal.abort() }));
    expect(!settled.ok && settled.error.kind).toBe('cancelled');
  });

  it('lets an error from the handler reach the caller, classified', async () => {
    const policy = fallback({ handler: () => Promise.reject(httpError(502)) });
    const settled = await settle(policy.execute(async () => Promise.reject(httpError(500))));
    expect(!settled.ok && settled.error.kind).toBe('unavailable');
  });

  it('refuses options without exactly one of value and handler', () => {
    expect(() => fallback({} as never)).toThrow(/exactly one of `value` and `handler`/);
    expect(() => fallback({ value: 1, handler: () => 2 })).toThrow(/exactly one/);
    expect(() => fallback({ value: 1, when: ['servr' as never] })).toThrow(/when lists "servr"/);
  });
});
