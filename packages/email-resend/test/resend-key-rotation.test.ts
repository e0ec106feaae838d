import { AuthError, constantBackoff, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import type { EmailProvider } from '@resilient/email';
import { type AuthAlert, alertOnAuthFailures, cachedSource, secret } from '@resilient/secrets';
import { type FakeResend, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { sendContext, simpleMessage } from './support';

/** The key the fake accepts right now: rotating it here is rotating it at Resend. */
const accepted = { key: 'resend-key-one' };
/** The key the secret manager holds right now. */
const manager = { key: 'resend-key-one', loads: 0 };
let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({
    get apiKey() {
      return accepted.key;
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  accepted.key = manager.key = 'resend-key-one';
  manager.loads = 0;
});

function providerWithManager(clock = new FakeClock()): EmailProvider {
  const apiKey = cachedSource(
    async () => {
      manager.loads++;
      return manager.key;
    },
    { name: 'RESEND_API_KEY', ttlMs: 300_000, clock },
  );
  return createResendProvider({ apiKey, baseUrl: fake.url });
}

describe('Resend key rotation', () => {
  it('picks up a key rotated at Resend and in the manager with one transparent retry', async () => {
    const provider = providerWithManager();
    await provider.send(simpleMessage, sendContext());
    accepted.key = manager.key = 'resend-key-two';
    const result = await provider.send(simpleMessage, sendContext({ idempotencyKey: 'rotated-1' }));
    expect(result.messageId).toBe(fake.deliveries[1]?.id);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.slice(1).map((request) => request.idempotencyKey)).toEqual([
      'rotated-1',
      'rotated-1',
    ]);
    expect(fake.deliveries).toHaveLength(2);
    await provider.send(simpleMessage, sendContext());
    expect(fake.requests).toHaveLength(4);
    expect(manager.loads).toBe(2);
  });

  it('ends a revoked key (the manager still has it) with one AuthError and one request', async () => {
    const provider = providerWithManager();
    accepted.key = 'someone-else';
    const error = await provider.send(simpleMessage, sendContext()).catch((caught: unknown) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_api_key', status: 403 });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after the fresh key is refused too: two requests, one AuthError, no loop', async () => {
    const provider = providerWithManager();
    await provider.send(simpleMessage, sendContext());
    accepted.key = 'revoked-everywhere';
    manager.key = 'resend-key-also-bad';
    const error = await provider.send(simpleMessage, sendContext()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_api_key' });
    expect(fake.requests).toHaveLength(3);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('does not retry a plain key or a Secret: there is nothing to rotate to', async () => {
    accepted.key = 'other';
    for (const apiKey of ['resend-key-one', secret('resend-key-one', { name: 'RESEND_API_KEY' })]) {
      const provider = createResendProvider({ apiKey, baseUrl: fake.url });
      await expect(provider.send(simpleMessage, sendContext())).rejects.toMatchObject({ kind: 'auth' });
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('rotates in batch sends too', async () => {
    const provider = providerWithManager();
    await provider.send(simpleMessage, sendContext());
    accepted.key = manager.key = 'resend-key-two';
    const results = await provider.sendBatch!(
      [simpleMessage, simpleMessage],
      sendContext({ idempotencyKey: 'batch-1' }),
    );
    expect(results).toHaveLength(2);
    expect(fake.requests.map((request) => request.path)).toEqual([
      '/emails',
      '/emails/batch',
      '/emails/batch',
    ]);
  });

  it('under resilient(), 200 sends with a revoked key page once and never loop', async () => {
    const clock = new FakeClock();
    const alerts: AuthAlert[] = [];
    const plugin = alertOnAuthFailures({
      sinks: [{ name: 'test', send: (alert) => void alerts.push(alert) }],
      clock,
    });
    const pipeline = resilient({
      service: 'resend',
      plugins: [plugin],
      retry: { maxAttempts: 3, backoff: constantBackoff(1) },
      attemptTimeoutMs: 2_000,
    });
    const provider = providerWithManager(clock);
    accepted.key = 'revoked';
    for (let send = 0; send < 200; send++) {
      const outcome = await pipeline
        .execute(
          ({ signal, attempt, idempotencyKey }) =>
            provider.send(simpleMessage, { signal, attempt, idempotencyKey: idempotencyKey ?? 'none' }),
          { idempotencyKey: `send-${send}`, operation: 'emails.send' },
        )
        .catch((caught: unknown) => caught);
      expect(outcome).toMatchObject({ kind: 'auth', attempts: 1 });
    }
    await plugin.flush();
    expect(fake.requests).toHaveLength(200);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ service: 'resend', kind: 'auth', operation: 'emails.send' });
    // One load, and one forced refresh: the rest fall within the refresh interval.
    expect(manager.loads).toBe(2);
  });
});
