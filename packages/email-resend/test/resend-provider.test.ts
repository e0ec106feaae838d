import { CancelledError, ResilientError } from '@resilient/core';
import { type FakeResend, startFakeResend } from '@resilient/testing';
import { Resend } from 'resend';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { resendProviderFactory } from '../src/resend-provider-factory';
import { fullMessage, sendContext, simpleMessage } from './support';

const KEY = 'resend-canary-5b1f0c2e';
let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () => createResendProvider({ apiKey: KEY, baseUrl: fake.url });

describe('createResendProvider: sending', () => {
  it('declares its name and capabilities', () => {
    expect(provider().name).toBe('resend');
    expect(provider().capabilities).toEqual({ idempotencyKeys: true, batch: true });
  });

  it('sends every field of the message in Resend’s shape and returns the email id', async () => {
    const result = await provider().send(fullMessage, sendContext());
    expect(fake.deliveries).toHaveLength(1);
    const delivery = fake.deliveries[0]!;
    expect(result).toEqual({ provider: 'resend', messageId: delivery.id });
    expect(delivery.email).toEqual({
      from: '"Acme, Inc." <hello@example.com>',
      to: ['ada@example.com', 'Grace Hopper <grace@example.com>'],
      cc: 'Alan <alan@example.com>',
      bcc: ['audit@example.com'],
      reply_to: 'support@example.com',
      subject: 'Welcome',
      html: '<p>Welcome</p>',
      text: 'Welcome',
      headers: { 'X-Entity-Ref-ID': 'user-42' },
      tags: [
        { name: 'category', value: 'welcome' },
        { name: 'plan', value: 'pro' },
      ],
      attachments: [
        { filename: 'hello.txt', content: 'aGVsbG8=', content_type: 'text/plain' },
        { filename: 'raw.bin', content: 'AAEC' },
      ],
    });
  });

  it('sends the context’s idempotency key with the request', async () => {
    await provider().send(simpleMessage, sendContext({ idempotencyKey: 'welcome-user-42' }));
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual(['welcome-user-42']);
    expect(fake.deliveries[0]?.idempotencyKey).toBe('welcome-user-42');
  });

  it('aborts the request with the attempt’s signal and reports the abort, not a network error', async () => {
    fake.faults.enqueue({ type: 'hang' });
    const controller = new AbortController();
    const sending = provider().send(simpleMessage, sendContext({ signal: controller.signal }));
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    controller.abort();
    const error = await sending.catch((caught: unknown) => caught);
    expect(CancelledError.isInstance(error)).toBe(true);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider().send(simpleMessage, sendContext({ signal: controller.signal })),
    ).rejects.toSatisfy(CancelledError.isInstance);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends a batch in one request under one key and returns the ids in order', async () => {
    const messages = [simpleMessage, { ...simpleMessage, to: 'grace@example.com' }];
    const results = await provider().sendBatch!(messages, sendContext({ idempotencyKey: 'batch-1' }));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ path: '/emails/batch', idempotencyKey: 'batch-1' });
    expect(results).toEqual(fake.deliveries.map(({ id }) => ({ provider: 'resend', messageId: id })));
    expect(fake.deliveries.map(({ email }) => email.to)).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('refuses a batch with attachments before sending it', async () => {
    const error = await provider().sendBatch!([simpleMessage, fullMessage], sendContext()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      kind: 'invalid-request',
      outcome: 'not-sent',
      service: 'resend',
      retryable: false,
    });
    expect((error as Error).message).toContain('messages[1]');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a message it cannot map, before sending', async () => {
    const broken = { ...simpleMessage, from: { email: 42 } } as unknown as typeof simpleMessage;
    await expect(provider().send(broken, sendContext())).rejects.toMatchObject({
      kind: 'invalid-request',
      outcome: 'not-sent',
      service: 'resend',
    });
    await expect(provider().sendBatch!([broken], sendContext())).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('uses a client it is given', async () => {
    const client = new Resend(KEY, { baseUrl: fake.url });
    const result = await createResendProvider({ client }).send(simpleMessage, sendContext());
    expect(result.messageId).toBe(fake.deliveries[0]?.id);
  });

  it('maps a 2xx answer without an id to an unknown outcome', async () => {
    const client = {
      emails: { send: async () => ({ data: {}, error: null, headers: {} }) },
      batch: { send: async () => ({ data: { data: [] }, error: null, headers: {} }) },
    } as unknown as Resend;
    const resend = createResendProvider({ client });
    await expect(resend.send(simpleMessage, sendContext())).rejects.toMatchObject({
      kind: 'unknown',
      outcome: 'unknown',
    });
    await expect(resend.sendBatch!([simpleMessage], sendContext())).rejects.toMatchObject({
      kind: 'unknown',
      message: expect.stringContaining('0 ids for 1 messages'),
    });
  });

  it('classifies an error a client throws instead of returning it', async () => {
    const client = {
      emails: {
        send: async () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
      },
      batch: { send: async () => undefined },
    } as unknown as Resend;
    const error = await createResendProvider({ client })
      .send(simpleMessage, sendContext())
      .catch((caught: unknown) => caught);
    expect(ResilientError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', service: 'resend' });
  });
});

describe('createResendProvider: options', () => {
  it('needs a client or an API key, not both, and never echoes the key', () => {
    expect(() => createResendProvider({})).toThrow(TypeError);
    expect(() => createResendProvider({ apiKey: '  ' })).toThrow(TypeError);
    const both = () => createResendProvider({ apiKey: KEY, client: new Resend(KEY) });
    expect(both).toThrow(TypeError);
    expect(() => both()).not.toThrow(KEY);
  });

  it('keeps the client out of sight: the provider object does not show the key', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(provider(), { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(KEY);
  });
});

describe('resendProviderFactory', () => {
  it('is named resend and reads RESEND_API_KEY', () => {
    expect(resendProviderFactory.name).toBe('resend');
    expect(resendProviderFactory.apiKeyVariable).toBe('RESEND_API_KEY');
  });

  it('builds a provider that sends with the key to RESEND_BASE_URL', async () => {
    const built = resendProviderFactory.create({ apiKey: KEY, env: { RESEND_BASE_URL: fake.url } });
    const result = await built.send(simpleMessage, sendContext());
    expect(result).toEqual({ provider: 'resend', messageId: fake.deliveries[0]?.id });
  });
});
