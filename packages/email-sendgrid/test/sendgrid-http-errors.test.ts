import { AuthError, type ErrorKind, type Outcome, RateLimitError, ResilientError } from '@resilient/core';
import type { EmailMessage } from '@resilient/email';
import { type FakeSendGrid, type Fault, findSecret, startFakeSendGrid } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendGridProvider } from '../src/create-sendgrid-provider';
import { sendContext, simpleMessage } from './support';

const KEY = 'SG.canary-7f3a9c2d41';
let fake: FakeSendGrid;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failure(send: Promise<unknown>): Promise<ResilientError> {
  const error = await send.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ResilientError.isInstance(error)) throw new Error(`expected a ResilientError, got ${String(error)}`);
  return error;
}

const failWith = (fault: Fault, timeoutMs?: number) => {
  fake.faults.enqueue(fault);
  return failure(
    createSendGridProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs }).send(simpleMessage, sendContext()),
  );
};

interface Expected {
  kind: ErrorKind;
  outcome: Outcome;
  retryable: boolean;
  status: number | undefined;
}

const row = (kind: ErrorKind, outcome: Outcome, retryable: boolean, status?: number): Expected => ({
  kind,
  outcome,
  retryable,
  status,
});

describe('SendGrid errors, through the real SDK, map to kinds', () => {
  it.each<[string, Fault, Expected]>([
    ['400', { type: 'status', status: 400 }, row('invalid-request', 'failed', false, 400)],
    ['401', { type: 'status', status: 401 }, row('auth', 'failed', false, 401)],
    [
      '401 Maximum credits exceeded',
      { type: 'status', status: 401, message: 'Maximum credits exceeded' },
      row('quota-exceeded', 'failed', false, 401),
    ],
    ['403', { type: 'status', status: 403 }, row('permission', 'failed', false, 403)],
    ['404', { type: 'status', status: 404 }, row('not-found', 'failed', false, 404)],
    ['413', { type: 'status', status: 413 }, row('invalid-request', 'failed', false, 413)],
    ['429', { type: 'status', status: 429 }, row('rate-limit', 'failed', true, 429)],
    ['500', { type: 'status', status: 500 }, row('server', 'unknown', true, 500)],
    [
      '502 HTML from a gateway',
      { type: 'status', status: 502, body: '<html>Bad Gateway</html>' },
      row('unavailable', 'unknown', true, 502),
    ],
    ['503', { type: 'status', status: 503 }, row('unavailable', 'failed', true, 503)],
    ['a reset (ECONNRESET)', { type: 'reset' }, row('network', 'unknown', true)],
    [
      'an applied send whose answer was lost (ECONNRESET)',
      { type: 'applied-response-lost' },
      row('network', 'unknown', true),
    ],
  ])('%s', async (_name, fault, expected) => {
    const error = await failWith(fault);
    expect({
      kind: error.kind,
      outcome: error.outcome,
      retryable: error.retryable,
      status: error.status,
    }).toEqual(expected);
    expect(error.service).toBe('sendgrid');
    expect(findSecret(error, KEY)).toEqual([]);
  });

  it('takes retryAfterMs from X-RateLimit-Reset (epoch seconds) on a 429', async () => {
    const error = await failWith({ type: 'status', status: 429, retryAfterSeconds: 30 });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(28_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('takes retryAfterMs from the fake’s enforced limit, with SendGrid’s real headers', async () => {
    const limited = await startFakeSendGrid({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const sendgrid = createSendGridProvider({ apiKey: KEY, baseUrl: limited.url });
      await sendgrid.send(simpleMessage, sendContext());
      const error = await failure(sendgrid.send(simpleMessage, sendContext()));
      expect(error).toMatchObject({
        kind: 'rate-limit',
        status: 429,
        message: expect.stringContaining('too many requests'),
      });
      expect(error.retryAfterMs).toBeGreaterThan(58_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(61_000);
    } finally {
      await limited.close();
    }
  });

  it('makes 401 and 403 an AuthError, and a wrong key is refused without showing up anywhere', async () => {
    expect(AuthError.isInstance(await failWith({ type: 'status', status: 403 }))).toBe(true);
    const wrong = 'SG.wrong-canary-5e6f7a';
    const error = await failure(
      createSendGridProvider({ apiKey: wrong, baseUrl: fake.url }).send(simpleMessage, sendContext()),
    );
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'auth',
      status: 401,
      message: expect.stringContaining('invalid, expired, or revoked'),
    });
    expect(findSecret(error, wrong)).toEqual([]);
  });

  it('puts SendGrid’s validation messages in the error', async () => {
    const error = await failure(
      createSendGridProvider({ apiKey: KEY, baseUrl: fake.url }).send(
        { ...simpleMessage, to: 'not-an-address' },
        sendContext(),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400 });
    expect(error.message).toContain('The to array is required');
    expect(error.cause).toMatchObject({
      name: 'ResponseError',
      code: 400,
      errors: [{ field: 'personalizations.0.to' }],
    });
  });

  it.each([
    ['the SDK refuses to build', { ...simpleMessage, subject: 42 }, 'string expected for `subject`'],
    ['cannot be mapped', { ...simpleMessage, from: { email: 42 } }, 'sendgrid:'],
  ])('maps a mail %s to invalid-request, not sent', async (_name, message, text) => {
    const broken = message as unknown as EmailMessage;
    const error = await failure(
      createSendGridProvider({ apiKey: KEY, baseUrl: fake.url }).send(broken, sendContext()),
    );
    expect(error).toMatchObject({ kind: 'invalid-request', outcome: 'not-sent', retryable: false });
    expect(error.message).toContain(text);
    expect(fake.requests).toHaveLength(0);
  });
});
