import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertOnAuthFailures } from '../src/alert-on-auth-failures';
import { webhookAlertSink } from '../src/webhook-alert-sink';

interface Received {
  readonly method: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

const received: Received[] = [];
let status = 200;
let server: Server;
let url: string;

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
  });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({
      method: request.method,
      contentType: request.headers['content-type'],
      body: await read(request),
    });
    response.statusCode = status;
    response.end(status === 200 ? 'ok' : 'no_service');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/token-in-url-123`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  status = 200;
});

describe('webhookAlertSink', () => {
  it('posts a Slack-compatible JSON alert with its fields', async () => {
    const alerts = alertOnAuthFailures({ sinks: [webhookAlertSink({ url })], clock: new FakeClock() });
    alerts.report(new AuthError({ service: 'resend', status: 401, code: 'invalid_api_key' }), 'emails.send');
    await alerts.flush();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', contentType: 'application/json' });
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({
      text: expect.stringMatching(/^resend refused the API key/),
      service: 'resend',
      kind: 'auth',
      operation: 'emails.send',
      status: 401,
      code: 'invalid_api_key',
      requestId: null,
    });
  });

  it('rejects on an answer other than 2xx, naming the status and never the URL', async () => {
    status = 404;
    const error = await Promise.resolve(
      webhookAlertSink({ url }).send({
        service: 'resend',
        kind: 'auth',
        operation: 'x',
        status: 401,
        code: undefined,
        requestId: undefined,
        message: 'm',
        at: '2026-01-01T00:00:00.000Z',
        text: 't',
      }),
    ).catch((caught: unknown) => caught);
    expect(String(error)).toBe('Error: webhookAlertSink: the webhook answered HTTP 404');
  });

  it('posts through a given fetch, with extra headers', async () => {
    const seen: RequestInit[] = [];
    const sink = webhookAlertSink({
      url,
      headers: { authorization: 'Bearer own-endpoint' },
      fetch: async (_input, init) => {
        seen.push(init ?? {});
        return new Response('ok');
      },
    });
    const alerts = alertOnAuthFailures({ sinks: [sink], clock: new FakeClock() });
    alerts.report(new AuthError({ service: 'stripe' }));
    await alerts.flush();
    expect(seen[0]?.headers).toMatchObject({ authorization: 'Bearer own-endpoint' });
    expect(received).toHaveLength(0);
  });

  it('validates its options without printing the URL', () => {
    expect(() => webhookAlertSink({ url: 'ftp://hooks.example.com/secret-token' })).toThrow(
      'webhookAlertSink: url must be an http: or https: URL',
    );
    expect(() => webhookAlertSink({ url: 'not a url secret-token' })).not.toThrow(/secret-token/);
    expect(() => webhookAlertSink({ url, timeoutMs: 0 })).toThrow(/timeoutMs must be a whole number/);
    expect(() => webhookAlertSink({ url, fetch: 'x' as never })).toThrow(/fetch must be a function/);
  });
});
