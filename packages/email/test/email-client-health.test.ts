import { describe, expect, it } from 'vitest';
import { MESSAGE, settle, twoProviders } from './support/email-test-kit';

const consecutiveBreaker = {
  retry: false,
  circuitBreaker: { strategy: { type: 'consecutive', threshold: 3 } },
} as const;

describe('createEmailClient: breakers and health', () => {
  it('reports every breaker closed and the client healthy before any failure', () => {
    const { client } = twoProviders();
    expect(client.health()).toEqual({
      status: 'healthy',
      providers: [
        {
          provider: 'primary',
          breaker: 'closed',
          retryAfterMs: 0,
          capabilities: { idempotencyKeys: false, batch: false },
        },
        {
          provider: 'secondary',
          breaker: 'closed',
          retryAfterMs: 0,
          capabilities: { idempotencyKeys: false, batch: false },
        },
      ],
    });
  });

  it('gives each provider its own breaker: failures at one never open the other', async () => {
    const { client, primary, secondary, clock } = twoProviders({ pipeline: consecutiveBreaker });
    primary.failAlways('unavailable');
    for (let send = 0; send < 5; send++) {
      expect(await settle(client.send(MESSAGE), clock)).toMatchObject({
        status: 'resolved',
        value: { provider: 'secondary' },
      });
    }
    const health = client.health();
    expect(health.status).toBe('degraded');
    expect(health.providers.map(({ provider, breaker }) => ({ provider, breaker }))).toEqual([
      { provider: 'primary', breaker: 'open' },
      { provider: 'secondary', breaker: 'closed' },
    ]);
    expect(health.providers[0]!.retryAfterMs).toBeGreaterThan(0);
    // Three requests opened the primary's breaker; the two sends after it never reached the primary.
    expect(primary.requests).toHaveLength(3);
    expect(secondary.deliveries).toHaveLength(5);
  });

  it('reports unavailable when every breaker is open, and closes the breaker whose probe succeeds', async () => {
    const { client, primary, secondary, clock } = twoProviders({
      pipeline: {
        retry: false,
        circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 5_000 },
      },
    });
    primary.failNext('unavailable');
    secondary.failNext('unavailable');
    await settle(client.send(MESSAGE), clock);
    expect(client.health().status).toBe('unavailable');

    await clock.advance(5_000);
    expect(await settle(client.send(MESSAGE), clock)).toMatchObject({
      status: 'resolved',
      value: { provider: 'primary' },
    });
    expect(client.health().providers.map((provider) => provider.breaker)).toEqual(['closed', 'open']);
    expect(client.health().status).toBe('degraded');
  });

  it('opens a provider breaker after 5 provider failures in a row by default, however slow the traffic', async () => {
    const { client, primary, secondary, clock } = twoProviders({ pipeline: { retry: false } });
    primary.failAlways('server');
    for (let send = 0; send < 5; send++) {
      if (send > 0) await clock.advance(3_600_000); // an hour between sends: a sampling window would never fill
      await settle(client.send(MESSAGE), clock);
    }
    expect(client.health().providers[0]!.breaker).toBe('open');
    expect(secondary.requests).toHaveLength(0); // a 500 may have been sent: no failover before the breaker opened
    expect(await settle(client.send(MESSAGE), clock)).toMatchObject({
      status: 'resolved',
      value: { provider: 'secondary' },
    });
    expect(primary.requests).toHaveLength(5);
  });

  it('reports a provider without a breaker as none', () => {
    const { client } = twoProviders({ pipeline: { circuitBreaker: false } });
    expect(client.health()).toMatchObject({
      status: 'healthy',
      providers: [{ breaker: 'none' }, { breaker: 'none' }],
    });
  });

  it('does not count the caller mistakes against a provider breaker', async () => {
    const { client, primary, clock } = twoProviders({ pipeline: consecutiveBreaker });
    primary.failNext('invalid-request', 5);
    for (let send = 0; send < 5; send++) await settle(client.send(MESSAGE), clock);
    expect(client.health().providers[0]!.breaker).toBe('closed');
  });
});
