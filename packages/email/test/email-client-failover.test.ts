import type { EmailDeliveryError } from '@resilient/email';
import { describe, expect, it } from 'vitest';
import { errorOf, MESSAGE, settle, twoProviders } from './support/email-test-kit';

describe('createEmailClient: failover', () => {
  it('fails over when the first provider stays unavailable (503) through its retries', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failAlways('unavailable');
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: {
        provider: 'secondary',
        attempts: 1,
        failures: [{ provider: 'primary', kind: 'unavailable', outcome: 'failed', attempts: 3 }],
      },
    });
    expect(primary.deliveries).toHaveLength(0);
    expect(secondary.deliveries).toHaveLength(1);
  });

  it('fails over when the connection to the first provider is refused', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failAlways('network-refused');
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({ status: 'resolved', value: { provider: 'secondary' } });
    expect(secondary.deliveries).toHaveLength(1);
  });

  it('fails over at once, without a request, when the first provider breaker is open', async () => {
    const { client, primary, clock } = twoProviders({
      pipeline: { retry: false, circuitBreaker: { strategy: { type: 'consecutive', threshold: 2 } } },
    });
    primary.failNext('unavailable', 2);
    await settle(client.send(MESSAGE), clock);
    await settle(client.send(MESSAGE), clock);
    expect(client.health().providers[0]).toMatchObject({ provider: 'primary', breaker: 'open' });
    const requestsBefore = primary.requests.length;

    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: {
        provider: 'secondary',
        failures: [{ provider: 'primary', kind: 'circuit-open', outcome: 'not-sent', attempts: 0 }],
      },
    });
    expect(primary.requests).toHaveLength(requestsBefore);
  });

  it.each([['invalid-request', 'invalid-request']] as const)(
    'does not fail over on %s: the caller has to fix the message',
    async (fault, kind) => {
      const { client, primary, secondary, clock } = twoProviders();
      primary.failNext(fault);
      const error = await errorOf(client.send(MESSAGE), clock);
      expect(error).toMatchObject({
        kind,
        outcome: 'failed',
        reason: 'not-failed-over',
        attempts: 1,
        status: 422,
      });
      expect(secondary.requests).toHaveLength(0);
    },
  );

  it.each([
    ['auth', 'auth'],
    ['quota-exceeded', 'quota-exceeded'],
  ] as const)('fails over on %s at the first provider', async (fault, kind) => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failAlways(fault);
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: { provider: 'secondary', failures: [{ kind }] },
    });
    expect(secondary.deliveries).toHaveLength(1);
  });

  it('fails over on a rate limit whose Retry-After is longer than the pipeline waits', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failNext({ type: 'rate-limit', retryAfterSeconds: 3600 });
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: { provider: 'secondary', failures: [{ kind: 'rate-limit', attempts: 1 }] },
    });
    expect(secondary.deliveries).toHaveLength(1);
  });

  it('waits out a short Retry-After at the same provider instead of failing over', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failNext({ type: 'rate-limit', retryAfterSeconds: 2 });
    const sending = settle(client.send(MESSAGE), clock);
    const outcome = await sending;
    expect(outcome).toMatchObject({ status: 'resolved', value: { provider: 'primary', attempts: 2 } });
    expect(secondary.requests).toHaveLength(0);
  });

  it('reports every provider when all of them fail', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failAlways('unavailable');
    secondary.failAlways('network-refused');
    const error = await errorOf(client.send(MESSAGE, { idempotencyKey: 'job-9' }), clock);
    expect(error).toMatchObject({
      name: 'EmailDeliveryError',
      reason: 'exhausted',
      kind: 'network',
      outcome: 'failed',
      attempts: 6,
      idempotencyKey: 'job-9',
      untried: [],
    });
    expect(
      (error as EmailDeliveryError).failures.map(({ provider, kind, outcome, attempts }) => ({
        provider,
        kind,
        outcome,
        attempts,
      })),
    ).toEqual([
      { provider: 'primary', kind: 'unavailable', outcome: 'failed', attempts: 3 },
      { provider: 'secondary', kind: 'network', outcome: 'not-sent', attempts: 3 },
    ]);
  });

  it('stops at once, without failing over, when the caller aborts', async () => {
    const { client, primary, secondary, clock } = twoProviders();
    primary.failAlways('unavailable');
    const controller = new AbortController();
    const sending = client.send(MESSAGE, { signal: controller.signal });
    await clock.flush();
    controller.abort(new Error('shutting down'));
    const error = await errorOf(sending, clock);
    expect(error).toMatchObject({ kind: 'cancelled', reason: 'cancelled', untried: ['secondary'] });
    expect(secondary.requests).toHaveLength(0);
  });

  it('fails over only on the kinds listed in failoverOn', async () => {
    const { client, primary, secondary, clock } = twoProviders({ failoverOn: ['unavailable'] });
    primary.failAlways('network-refused');
    const error = await errorOf(client.send(MESSAGE), clock);
    expect(error).toMatchObject({ kind: 'network', reason: 'not-failed-over' });
    expect(secondary.requests).toHaveLength(0);
  });
});
