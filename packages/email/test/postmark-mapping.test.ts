import { selectProvidersFromEnv } from '@resilient/email';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostmarkProvider, postmarkProviderFactory } from '../examples/postmark-provider';
import { type FakePostmarkServer, startFakePostmark } from './support/fake-postmark-server';

const TOKEN = 'pm-server-token-3f9c1a7e-5b2d-4e8f-9a6c-0d1e2f3a4b5c';
const context = () => ({ signal: new AbortController().signal, idempotencyKey: 'key-1', attempt: 1 });

describe('the Postmark example provider', () => {
  let server: FakePostmarkServer;
  beforeEach(async () => {
    server = await startFakePostmark({ token: TOKEN });
  });
  afterEach(async () => {
    await server.close();
  });

  it("maps a neutral message onto Postmark's fields", async () => {
    const provider = createPostmarkProvider({
      serverToken: TOKEN,
      baseUrl: `${server.url}/`,
      messageStream: 'broadcast',
    });
    await provider.send(
      {
        from: { email: 'hello@acme.example', name: 'Acme, Inc. "HQ"' },
        to: ['ada@example.com', 'Grace <grace@example.com>'],
        cc: 'cc@example.com',
        bcc: [{ email: 'audit@acme.example' }],
        replyTo: 'support@acme.example',
        subject: 'Welcome',
        html: '<p>Hi</p>',
        text: 'Hi',
        headers: { 'X-Entity-Ref-ID': '42' },
        tags: { campaign: 'welcome' },
        attachments: [
          { filename: 'hi.txt', content: new TextEncoder().encode('hi'), contentType: 'text/plain' },
          { filename: 'raw.bin', content: 'AAE=' },
        ],
      },
      context(),
    );
    expect(server.deliveries[0]!.body).toEqual({
      From: '"Acme, Inc. \\"HQ\\"" <hello@acme.example>',
      To: 'ada@example.com, Grace <grace@example.com>',
      Cc: 'cc@example.com',
      Bcc: 'audit@acme.example',
      ReplyTo: 'support@acme.example',
      Subject: 'Welcome',
      HtmlBody: '<p>Hi</p>',
      TextBody: 'Hi',
      Headers: [{ Name: 'X-Entity-Ref-ID', Value: '42' }],
      Metadata: { campaign: 'welcome' },
      Attachments: [
        { Name: 'hi.txt', Content: 'aGk=', ContentType: 'text/plain' },
        { Name: 'raw.bin', Content: 'AAE=', ContentType: 'application/octet-stream' },
      ],
      MessageStream: 'broadcast',
    });
  });

  it.each([
    [422, 406, 'Inactive recipient', 'invalid-request', false],
    [422, 300, 'Invalid email request', 'invalid-request', false],
    [422, 405, 'Not allowed to send', 'quota-exceeded', false],
    [422, 412, 'Account is pending', 'permission', false],
    [422, 413, 'Account may not send', 'permission', false],
    [503, 100, 'Maintenance', 'unavailable', true],
    [429, 429, 'Rate limit exceeded', 'rate-limit', true],
    [413, 0, 'Payload too large', 'invalid-request', false],
  ])('maps HTTP %i with ErrorCode %i (%s) to %s', async (status, errorCode, message, kind, retryable) => {
    server.answerNext({ status, errorCode, message });
    const provider = createPostmarkProvider({ serverToken: TOKEN, baseUrl: server.url });
    await expect(
      provider.send({ from: 'a@acme.example', to: 'b@example.com', subject: 'S', text: 'T' }, context()),
    ).rejects.toMatchObject({
      kind,
      retryable,
      status,
      code: String(errorCode),
      service: 'postmark',
      message: `postmark: ${message}`,
    });
  });

  it('refuses a wrong server token as auth', async () => {
    const provider = createPostmarkProvider({
      serverToken: 'pm-wrong-token-000000000000',
      baseUrl: server.url,
    });
    await expect(
      provider.send({ from: 'a@acme.example', to: 'b@example.com', subject: 'S', text: 'T' }, context()),
    ).rejects.toMatchObject({
      name: 'AuthError',
      kind: 'auth',
      code: '10',
    });
  });

  it('is selected from the environment by POSTMARK_SERVER_TOKEN and POSTMARK_BASE_URL', async () => {
    const [provider] = selectProvidersFromEnv({
      factories: [postmarkProviderFactory],
      env: { EMAIL_PROVIDER: 'postmark', POSTMARK_SERVER_TOKEN: TOKEN, POSTMARK_BASE_URL: server.url },
    });
    const result = await provider!.send(
      { from: 'a@acme.example', to: 'b@example.com', subject: 'S', text: 'T' },
      context(),
    );
    expect(result).toEqual({ provider: 'postmark', messageId: server.deliveries[0]!.messageId });
  });

  it('refuses to be built without a server token', () => {
    expect(() => createPostmarkProvider({ serverToken: ' ' })).toThrow(
      /serverToken must be a non-empty string/,
    );
  });
});
