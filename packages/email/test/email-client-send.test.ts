import { constantBackoff, type ResiliencePlugin } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { createEmailClient, EmailDeliveryError, EmailValidationError } from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';
import { errorOf, MESSAGE, settle, twoProviders } from './support/email-test-kit';

describe('createEmailClient: send', () => {
  it('sends through the first provider and says which provider, message id and key', async () => {
    const { client, primary, secondary, clock } = twoProviders({
      generateIdempotencyKey: () => 'generated-key',
    });
    const outcome = await settle(client.send(MESSAGE), clock);
    expect(outcome).toEqual({
      status: 'resolved',
      value: {
        provider: 'primary',
        messageId: 'primary-1',
        idempotencyKey: 'generated-key',
        attempts: 1,
        failures: [],
      },
    });
    expect(primary.deliveries.map((delivery) => delivery.message)).toEqual([MESSAGE]);
    expect(secondary.requests).toHaveLength(0);
  });

  it('generates a fresh random key for each send that has none', async () => {
    const { client, primary } = twoProviders({ primary: { idempotencyKeys: true } });
    const first = await client.send(MESSAGE);
    const second = await client.send(MESSAGE);
    expect(first.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(primary.requests.map((request) => request.idempotencyKey)).toEqual([
      first.idempotencyKey,
      second.idempotencyKey,
    ]);
    expect(primary.deliveries).toHaveLength(2);
  });

  it('passes the caller key to the provider, and a repeated send under it is delivered once', async () => {
    const { client, primary } = twoProviders({ primary: { idempotencyKeys: true } });
    const first = await client.send(MESSAGE, { idempotencyKey: 'welcome-user-42' });
    const again = await client.send(MESSAGE, { idempotencyKey: 'welcome-user-42' });
    expect(again.messageId).toBe(first.messageId);
    expect(primary.deliveries).toHaveLength(1);
    expect(primary.deliveries[0]!.idempotencyKey).toBe('welcome-user-42');
  });

  it('retries within a provider under the same key on every attempt', async () => {
    const { client, primary, secondary, clock } = twoProviders({ primary: { idempotencyKeys: true } });
    primary.failNext('unavailable').failNext('network-reset');
    const outcome = await settle(client.send(MESSAGE, { idempotencyKey: 'order-7' }), clock);
    expect(outcome).toMatchObject({
      status: 'resolved',
      value: { provider: 'primary', attempts: 3, failures: [] },
    });
    expect(primary.requests.map((request) => request.idempotencyKey)).toEqual([
      'order-7',
      'order-7',
      'order-7',
    ]);
    expect(primary.deliveries).toHaveLength(1);
    expect(secondary.requests).toHaveLength(0);
  });

  it('gives the key to every attempt in SendContext even where the provider has no idempotency keys', async () => {
    const clock = new FakeClock();
    const seen: { key: string; attempt: number }[] = [];
    const inner = new InMemoryEmailProvider({ name: 'plain' }).failNext('unavailable');
    const client = createEmailClient({
      clock,
      pipeline: { retry: { backoff: constantBackoff(100) } },
      providers: [
        {
          name: 'plain',
          capabilities: inner.capabilities,
          send: (message, context) => {
            seen.push({ key: context.idempotencyKey, attempt: context.attempt });
            return inner.send(message, context);
          },
        },
      ],
    });
    await settle(client.send(MESSAGE, { idempotencyKey: 'k-1' }), clock);
    expect(seen).toEqual([
      { key: 'k-1', attempt: 1 },
      { key: 'k-1', attempt: 2 },
    ]);
  });

  it('reports each attempt to plugins under the provider name', async () => {
    const events: string[] = [];
    const plugin: ResiliencePlugin = {
      name: 'recorder',
      onAttemptEnd: ({ operation, attempt, kind }) =>
        events.push(`${operation.service} ${operation.operation} #${attempt} ${kind ?? 'ok'}`),
    };
    const { client, primary, clock } = twoProviders({ plugins: [plugin] });
    primary.failAlways('unavailable');
    await settle(client.send(MESSAGE), clock);
    expect(events).toEqual([
      'primary email.send #1 unavailable',
      'primary email.send #2 unavailable',
      'primary email.send #3 unavailable',
      'secondary email.send #1 ok',
    ]);
  });

  it('rejects a message that breaks the contract before any provider is called', async () => {
    const { client, primary, secondary } = twoProviders();
    const error = await client.send({ ...MESSAGE, subject: '' }).catch((caught: unknown) => caught);
    expect(EmailValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'invalid-request',
      outcome: 'not-sent',
      retryable: false,
      field: 'message.subject',
    });
    expect(primary.requests.length + secondary.requests.length).toBe(0);
  });

  it.each([
    [{ idempotencyKey: '' }, 'options.idempotencyKey'],
    [{ idempotencyKey: 'x'.repeat(257) }, 'options.idempotencyKey'],
    [{ idempotencyKey: 'line\nbreak' }, 'options.idempotencyKey'],
    [{ signal: 'soon' }, 'options.signal'],
    [{ retries: 3 }, 'options.retries'],
  ])('rejects the send options %j, naming %s', async (options, field) => {
    const { client, primary } = twoProviders();
    const error = await client.send(MESSAGE, options as never).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'EmailValidationError', field });
    expect(primary.requests).toHaveLength(0);
  });

  it('rejects when a custom key generator returns something that is not a key', async () => {
    const { client } = twoProviders({ generateIdempotencyKey: () => '' });
    await expect(client.send(MESSAGE)).rejects.toMatchObject({ field: 'generateIdempotencyKey()' });
  });

  it('treats a provider result without a message id as a possible send: no retry, no failover', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const broken = {
      name: 'broken',
      capabilities: { idempotencyKeys: false, batch: false },
      send: async () => {
        calls++;
        return { provider: 'broken' } as never;
      },
    };
    const backup = new InMemoryEmailProvider({ name: 'backup' });
    const client = createEmailClient({ clock, providers: [broken, backup] });
    const error = await errorOf(client.send(MESSAGE), clock);
    expect(EmailDeliveryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'unknown', outcome: 'unknown', reason: 'not-failed-over' });
    expect(calls).toBe(1);
    expect(backup.requests).toHaveLength(0);
  });
});
