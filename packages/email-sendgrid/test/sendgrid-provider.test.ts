import { CancelledError } from '@resilient/core';
import { selectProvidersFromEnv } from '@resilient/email';
import { envSecret } from '@resilient/secrets';
import { type FakeSendGrid, startFakeSendGrid } from '@resilient/testing';
import sendgridMail, { MailService } from '@sendgrid/mail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendGridProvider, DEFAULT_SENDGRID_TIMEOUT_MS } from '../src/create-sendgrid-provider';
import { sendgridProviderFactory } from '../src/sendgrid-provider-factory';
import { fullMessage, sendContext, simpleMessage } from './support';

const KEY = 'SG.canary-7f3a9c2d41';
let fake: FakeSendGrid;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () => createSendGridProvider({ apiKey: KEY, baseUrl: fake.url });

/** The default request of the HTTP client behind a MailService. */
const defaultRequestOf = (service: MailService) =>
  (service as unknown as { client: { defaultRequest: { baseUrl: string; timeout?: number } } }).client
    .defaultRequest;

describe('createSendGridProvider: sending', () => {
  it('declares its name and capabilities: no idempotency keys, no batch', () => {
    expect(provider().name).toBe('sendgrid');
    expect(provider().capabilities).toEqual({ idempotencyKeys: false, batch: false });
    expect(provider().sendBatch).toBeUndefined();
  });

  it('sends every field of the message in SendGrid’s v3 shape and returns the X-Message-Id', async () => {
    const result = await provider().send(fullMessage, sendContext());
    expect(fake.deliveries).toHaveLength(1);
    const delivery = fake.deliveries[0]!;
    expect(result).toEqual({ provider: 'sendgrid', messageId: delivery.messageId });
    expect(delivery.mail).toEqual({
      from: { email: 'hello@example.com', name: 'Acme, Inc.' },
      reply_to: { email: 'support@example.com' },
      subject: 'Welcome',
      personalizations: [
        {
          to: [{ email: 'ada@example.com' }, { email: 'grace@example.com', name: 'Grace Hopper' }],
          cc: [{ email: 'alan@example.com', name: 'Alan' }],
          bcc: [{ email: 'audit@example.com' }],
        },
      ],
      content: [
        { type: 'text/plain', value: 'Welcome' },
        { type: 'text/html', value: '<p>Welcome</p>' },
      ],
      headers: { 'X-Entity-Ref-ID': 'user-42' },
      custom_args: { category: 'welcome', plan: 'pro' },
      attachments: [
        { filename: 'hello.txt', content: 'aGVsbG8=', type: 'text/plain', disposition: 'attachment' },
        { filename: 'raw.bin', content: 'AAEC', disposition: 'attachment' },
      ],
    });
  });

  it('sends several reply-to addresses as reply_to_list', async () => {
    await provider().send(
      { ...simpleMessage, replyTo: ['a@example.com', '"Support, Team" <b@example.com>'] },
      sendContext(),
    );
    expect(fake.deliveries[0]?.mail.reply_to_list).toEqual([
      { email: 'a@example.com' },
      { email: 'b@example.com', name: 'Support, Team' },
    ]);
  });

  it('refuses an email header that would clash with the API call, before sending', async () => {
    const error = await provider()
      .send({ ...simpleMessage, headers: { Authorization: 'Bearer other' } }, sendContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'invalid-request', outcome: 'not-sent', service: 'sendgrid' });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider().send(simpleMessage, sendContext({ signal: controller.signal })),
    ).rejects.toSatisfy(CancelledError.isInstance);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports the abort when the signal aborts during the call', async () => {
    fake.faults.enqueue({ type: 'status', status: 500 });
    const controller = new AbortController();
    const sending = provider().send(simpleMessage, sendContext({ signal: controller.signal }));
    controller.abort();
    await expect(sending).rejects.toSatisfy(CancelledError.isInstance);
  });

  it('reports an empty message id when a 2xx answer has no X-Message-Id (it was accepted)', async () => {
    fake.faults.enqueue({ type: 'malformed-body' });
    expect(await provider().send(simpleMessage, sendContext())).toEqual({
      provider: 'sendgrid',
      messageId: '',
    });
    expect(fake.deliveries).toHaveLength(1);
  });
});

describe('createSendGridProvider: client and settings', () => {
  it('sets the key before the base URL, so a built client really goes to the base URL', async () => {
    await provider().send(simpleMessage, sendContext());
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.authorization).toBe('[redacted]');
  });

  it('builds a dedicated MailService per provider and leaves the shared default export alone', async () => {
    const other = await startFakeSendGrid({ apiKey: 'SG.other-canary-1234' });
    try {
      await provider().send(simpleMessage, sendContext());
      await createSendGridProvider({ apiKey: 'SG.other-canary-1234', baseUrl: other.url }).send(
        simpleMessage,
        sendContext(),
      );
      expect(fake.deliveries).toHaveLength(1);
      expect(other.deliveries).toHaveLength(1);
      expect(defaultRequestOf(sendgridMail).baseUrl).toBe('https://api.sendgrid.com/');
      expect(defaultRequestOf(sendgridMail).timeout).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('sets a 10 s timeout on a client it is given, or the one asked for', () => {
    const given = new MailService();
    createSendGridProvider({ client: given });
    expect(defaultRequestOf(given).timeout).toBe(DEFAULT_SENDGRID_TIMEOUT_MS);
    createSendGridProvider({ client: given, timeoutMs: 2_500 });
    expect(defaultRequestOf(given).timeout).toBe(2_500);
  });

  it('sends through a client it is given', async () => {
    const given = new MailService();
    given.setApiKey(KEY);
    (
      given as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
    ).client.setDefaultRequest('baseUrl', fake.url);
    const result = await createSendGridProvider({ client: given }).send(simpleMessage, sendContext());
    expect(result.messageId).toBe(fake.deliveries[0]?.messageId);
  });

  it('refuses missing, mixed or impossible settings without echoing the key', () => {
    expect(() => createSendGridProvider({})).toThrow(TypeError);
    expect(() => createSendGridProvider({ apiKey: '' })).toThrow(TypeError);
    expect(() => createSendGridProvider({ apiKey: KEY, client: new MailService() })).toThrow(TypeError);
    expect(() => createSendGridProvider({ apiKey: KEY, client: new MailService() })).not.toThrow(KEY);
    expect(() => createSendGridProvider({ apiKey: KEY, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createSendGridProvider({ apiKey: KEY, timeoutMs: Number.POSITIVE_INFINITY })).toThrow(
      RangeError,
    );
  });

  it('keeps the client out of sight: the provider object does not show the key', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(provider(), { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(KEY);
  });
});

describe('sendgridProviderFactory', () => {
  it('is named sendgrid and reads SENDGRID_API_KEY', () => {
    expect(sendgridProviderFactory.name).toBe('sendgrid');
    expect(sendgridProviderFactory.apiKeyVariable).toBe('SENDGRID_API_KEY');
  });

  it('builds a provider that sends with the key to SENDGRID_BASE_URL', async () => {
    const built = sendgridProviderFactory.create({ apiKey: KEY, env: { SENDGRID_BASE_URL: fake.url } });
    expect(await built.send(simpleMessage, sendContext())).toEqual({
      provider: 'sendgrid',
      messageId: fake.deliveries[0]?.messageId,
    });
  });

  it('builds a provider from the environment that reads a changed SENDGRID_API_KEY at the next send', async () => {
    const env = {
      EMAIL_PROVIDER: 'sendgrid',
      SENDGRID_API_KEY: 'SG.old-key-0000000',
      SENDGRID_BASE_URL: fake.url,
    };
    const [built] = selectProvidersFromEnv({ factories: [sendgridProviderFactory], env });
    await expect(built!.send(simpleMessage, sendContext())).rejects.toMatchObject({ kind: 'auth' });
    env.SENDGRID_API_KEY = KEY;
    await expect(built!.send(simpleMessage, sendContext())).resolves.toMatchObject({ provider: 'sendgrid' });
  });

  it('passes a source given to create on to the provider', async () => {
    const apiKey = envSecret('SENDGRID_API_KEY', { env: { SENDGRID_API_KEY: KEY }, envFile: false });
    const built = sendgridProviderFactory.create({ apiKey, env: { SENDGRID_BASE_URL: fake.url } });
    await expect(built.send(simpleMessage, sendContext())).resolves.toMatchObject({ provider: 'sendgrid' });
  });
});
