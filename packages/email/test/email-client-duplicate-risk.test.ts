import { EmailDeliveryError } from '@resilient/email';
import { describe, expect, it } from 'vitest';
import { errorOf, MESSAGE, settle, twoProviders } from './support/email-test-kit';

describe('createEmailClient: the duplicate risk of failing over', () => {
  it('does not fail over after an unknown outcome without the opt-in: exactly one delivery', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failNext('applied-response-lost');
    const error = await errorOf(client.send(MESSAGE), clock);
    expect(EmailDeliveryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
      reason: 'duplicate-risk',
      untried: ['secondary'],
    });
    expect((error as Error).message).toContain('set allowDuplicateRisk to fail over anyway');
    expect(primary.requests).toHaveLength(1);
    expect(primary.deliveries.length + secondary.deliveries.length).toBe(1);
  });

  it('fails over after an unknown outcome with allowDuplicateRisk, accepting a second delivery', async () => {
    const { client, primary, secondary, clock } = twoProviders({ allowDuplicateRisk: true });
    primary.failNext('applied-response-lost');
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: { provider: 'secondary', failures: [{ provider: 'primary', outcome: 'unknown', attempts: 1 }] },
    });
    expect(primary.deliveries).toHaveLength(1);
    expect(secondary.deliveries).toHaveLength(1);
  });

  it('does not fail over when an earlier attempt may have been applied, even if the last was refused cleanly', async () => {
    const { client, primary, secondary, clock } = twoProviders({ primary: { idempotencyKeys: true } });
    // Retried under its key (reset: unknown), then refused twice (503: failed). Core's error speaks for
    // the whole operation: the reset may have delivered it, so the outcome stays unknown.
    primary.failNext('network-reset').failNext('unavailable', 2);
    const error = await errorOf(client.send(MESSAGE), clock);
    expect(error).toMatchObject({ reason: 'duplicate-risk', outcome: 'unknown', kind: 'unavailable' });
    expect((error as EmailDeliveryError).cause).toMatchObject({ kind: 'unavailable', outcome: 'unknown' });
    expect(secondary.requests).toHaveLength(0);
  });

  it('does not fail over when a hung send times out at a provider without idempotency keys', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failNext('hang');
    const error = await errorOf(client.send(MESSAGE), clock);
    expect(error).toMatchObject({
      kind: 'timeout',
      outcome: 'unknown',
      reason: 'duplicate-risk',
      attempts: 1,
    });
    expect(secondary.requests).toHaveLength(0);
  });

  it('does not fail over on a 500, which may have been applied, until the breaker opens', async () => {
    const { client, primary, secondary, clock } = twoProviders({
      primary: { idempotencyKeys: true },
      pipeline: { retry: false, circuitBreaker: { strategy: { type: 'consecutive', threshold: 2 } } },
    });
    primary.failAlways('server');
    for (let send = 0; send < 2; send++) {
      const error = await errorOf(client.send(MESSAGE), clock);
      expect(error).toMatchObject({ kind: 'server', outcome: 'unknown', reason: 'duplicate-risk' });
    }
    expect(secondary.requests).toHaveLength(0);
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: { provider: 'secondary', failures: [{ kind: 'circuit-open' }] },
    });
  });

  it('fails over when a retry would pass the total timeout after a clean refusal', async () => {
    // Core ends with a TimeoutError when the Retry-After would pass the deadline; its outcome is that of
    // the only attempt, which was refused (failed), so the client fails over.
    const { client, primary, secondary, clock } = twoProviders({ pipeline: { totalTimeoutMs: 20_000 } });
    primary.failNext({ type: 'rate-limit', retryAfterSeconds: 30 });
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: {
        provider: 'secondary',
        failures: [{ provider: 'primary', kind: 'timeout', outcome: 'failed', attempts: 1 }],
      },
    });
    if (outcome.status !== 'resolved') throw new Error('expected the send to resolve');
    expect(outcome.value.failures[0]!.error.outcome).toBe('failed');
    expect(secondary.deliveries).toHaveLength(1);
  });
});
