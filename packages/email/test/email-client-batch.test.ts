import { createEmailClient } from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';
import { errorOf, MESSAGE, settle, twoProviders } from './support/email-test-kit';

const SECOND = { ...MESSAGE, to: 'grace@example.com' };

describe('createEmailClient: sendBatch', () => {
  it('sends a batch in one request with one key, one result per message in order', async () => {
    const { client, primary, clock } = twoProviders({ primary: { batch: true, idempotencyKeys: true } });
    const outcome = await settle(client.sendBatch([MESSAGE, SECOND], { idempotencyKey: 'digest-1' }), clock);
    expect(outcome).toEqual({
      status: 'resolved',
      value: {
        provider: 'primary',
        results: [
          { provider: 'primary', messageId: 'primary-1' },
          { provider: 'primary', messageId: 'primary-2' },
        ],
        idempotencyKey: 'digest-1',
        attempts: 1,
        failures: [],
      },
    });
    expect(primary.requests).toEqual([{ idempotencyKey: 'digest-1', messages: 2 }]);
  });

  it('passes over providers without a batch endpoint and fails over between those with one (no retries: nothing waits)', async () => {
    const first = new InMemoryEmailProvider({ name: 'first', batch: true }).failAlways('unavailable');
    const single = new InMemoryEmailProvider({ name: 'single' });
    const last = new InMemoryEmailProvider({ name: 'last', batch: true });
    const client = createEmailClient({ providers: [first, single, last], pipeline: { retry: false } });
    const result = await client.sendBatch([MESSAGE, SECOND]);
    expect(result.provider).toBe('last');
    expect(result.failures.map((failure) => failure.provider)).toEqual(['first']);
    expect(single.requests).toHaveLength(0);
    expect(last.deliveries).toHaveLength(2);
  });

  it('refuses a batch when no provider has a batch endpoint, naming them', async () => {
    const { client } = twoProviders();
    expect(client.supportsBatch).toBe(false);
    await expect(client.sendBatch([MESSAGE])).rejects.toMatchObject({
      name: 'EmailValidationError',
      field: 'sendBatch',
      message: expect.stringContaining('none of primary, secondary has one'),
    });
  });

  it('validates every message of a batch before sending any', async () => {
    const { client, primary } = twoProviders({ primary: { batch: true } });
    await expect(client.sendBatch([MESSAGE, { ...SECOND, to: [] }])).rejects.toMatchObject({
      field: 'messages[1].to',
    });
    await expect(client.sendBatch([])).rejects.toMatchObject({ field: 'messages' });
    expect(primary.requests).toHaveLength(0);
  });

  it('does not fail a batch over after an unknown outcome', async () => {
    const { client, primary, secondary, clock } = twoProviders({
      primary: { batch: true },
      secondary: { batch: true },
    });
    primary.failNext('applied-response-lost');
    const error = await errorOf(client.sendBatch([MESSAGE, SECOND]), clock);
    expect(error).toMatchObject({ reason: 'duplicate-risk', outcome: 'unknown' });
    expect(primary.deliveries).toHaveLength(2);
    expect(secondary.requests).toHaveLength(0);
  });

  it('treats a batch result of the wrong length as a possible send', async () => {
    const { clock } = twoProviders();
    const short = {
      name: 'short',
      capabilities: { idempotencyKeys: false, batch: true },
      send: async () => ({ provider: 'short', messageId: 'm' }),
      sendBatch: async () => [{ provider: 'short', messageId: 'm' }],
    };
    const client = createEmailClient({
      clock,
      providers: [short, new InMemoryEmailProvider({ batch: true })],
    });
    const error = await errorOf(client.sendBatch([MESSAGE, SECOND]), clock);
    expect(error).toMatchObject({ kind: 'unknown', outcome: 'unknown', reason: 'not-failed-over' });
    expect((error as Error).message).toContain('short: unknown');
  });
});
