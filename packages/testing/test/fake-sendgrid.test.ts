import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MALFORMED_BODY } from '../src/core/fault';
import { type FakeSendGrid, startFakeSendGrid } from '../src/sendgrid/fake-sendgrid';
import { postJson } from './post-json';

const mail = {
  personalizations: [{ to: [{ email: 'ada@example.com' }] }],
  from: { email: 'hello@example.com', name: 'Acme' },
  subject: 'Hi',
  content: [{ type: 'text/html', value: '<p>Hi</p>' }],
};
const KEY = 'SG.test-key.test-secret';

let fake: FakeSendGrid;
let now = 1_700_000_000_000;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: KEY, now: () => now });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const send = (body: unknown, options: Parameters<typeof postJson>[2] = {}) =>
  postJson(`${fake.url}/v3/mail/send`, body, { apiKey: KEY, ...options });

describe('fake SendGrid: sending', () => {
  it('accepts a valid mail with 202, an empty body and an X-Message-Id, and keeps it', async () => {
    const answer = await send(mail);
    expect(answer.status).toBe(202);
    expect(answer.text).toBe('');
    const messageId = answer.headers.get('x-message-id');
    expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fake.deliveries).toEqual([{ messageId, mail }]);
  });

  it('delivers every accepted request, idempotency-key header or not', async () => {
    await send(mail, { headers: { 'idempotency-key': 'same' } });
    await send(mail, { headers: { 'idempotency-key': 'same' } });
    expect(fake.deliveries).toHaveLength(2);
  });

  it.each([
    [{ ...mail, from: undefined }, 'from'],
    [{ ...mail, personalizations: [] }, 'personalizations'],
    [{ ...mail, personalizations: [{ to: [{ email: 'nope' }] }] }, 'personalizations.0.to'],
    [{ ...mail, subject: undefined }, 'subject'],
    [{ ...mail, content: [] }, 'content'],
    [{ ...mail, attachments: [{ filename: 'a.txt' }] }, 'attachments'],
  ])('answers 400 with SendGrid’s errors array for an invalid mail %#', async (body, field) => {
    const answer = await send(body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [{ message: expect.any(String), field, help: expect.any(String) }],
    });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('accepts a subject given in every personalization instead', async () => {
    const body = {
      ...mail,
      subject: undefined,
      personalizations: [{ to: [{ email: 'ada@example.com' }], subject: 'Hi' }],
    };
    expect((await send(body)).status).toBe(202);
  });

  it('answers 400 for a body that is not JSON, and 404 elsewhere', async () => {
    expect((await send('{not json')).status).toBe(400);
    const missing = await postJson(`${fake.url}/v3/nothing`, mail, { apiKey: KEY });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [{ message: 'not found', field: null, help: null }] });
  });
});

describe('fake SendGrid: authorization', () => {
  it('answers 401 authorization required without an Authorization header', async () => {
    const answer = await send(mail, { apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ errors: [{ message: 'authorization required', field: null, help: null }] });
  });

  it('answers 401 for another key', async () => {
    const answer = await send(mail, { apiKey: 'SG.other.key' });
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.json)).toContain('invalid, expired, or revoked');
    expect(fake.deliveries).toHaveLength(0);
  });
});

describe('fake SendGrid: rate limit', () => {
  it('sends X-RateLimit headers with an epoch-seconds reset, and 429 too many requests past the limit', async () => {
    const limited = await startFakeSendGrid({ rateLimit: { limit: 1, windowMs: 60_000 }, now: () => now });
    try {
      const first = await postJson(`${limited.url}/v3/mail/send`, mail);
      expect(first.status).toBe(202);
      expect(first.headers.get('x-ratelimit-limit')).toBe('1');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(first.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((now + 60_000) / 1000)));
      const second = await postJson(`${limited.url}/v3/mail/send`, mail);
      expect(second.status).toBe(429);
      expect(second.json).toEqual({ errors: [{ message: 'too many requests', field: null, help: null }] });
      expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.deliveries).toHaveLength(1);
      now += 60_000;
      expect((await postJson(`${limited.url}/v3/mail/send`, mail)).status).toBe(202);
    } finally {
      await limited.close();
    }
  });
});

describe('fake SendGrid: faults', () => {
  it.each([400, 401, 403, 413, 429, 500, 503])(
    'answers a %i status fault with SendGrid’s errors body',
    async (status) => {
      fake.faults.enqueue({ type: 'status', status });
      const answer = await send(mail);
      expect(answer.status).toBe(status);
      expect(answer.json).toEqual({ errors: [{ message: expect.any(String), field: null, help: null }] });
      expect(fake.deliveries).toHaveLength(0);
    },
  );

  it('sends an exhausted X-RateLimit-Reset in epoch seconds with a 429 fault', async () => {
    fake.faults.enqueue({ type: 'status', status: 429, retryAfterSeconds: 5 });
    const answer = await send(mail);
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(answer.headers.get('x-ratelimit-reset')).toBe(String(Math.floor(now / 1000) + 5));
  });

  it('uses the fault’s own message when given', async () => {
    fake.faults.enqueue({
      type: 'status',
      status: 403,
      message: 'The from address does not match a verified Sender Identity.',
    });
    expect((await send(mail)).json).toEqual({
      errors: [
        { message: 'The from address does not match a verified Sender Identity.', field: null, help: null },
      ],
    });
  });

  it('never answers with a hang fault', async () => {
    fake.faults.enqueue({ type: 'hang' });
    await expect(send(mail, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(fake.deliveries).toHaveLength(0);
  });

  it('resets without delivering; loses the response after delivering', async () => {
    fake.faults.enqueue({ type: 'reset' }, { type: 'applied-response-lost' });
    await expect(send(mail)).rejects.toThrow(TypeError);
    expect(fake.deliveries).toHaveLength(0);
    await expect(send(mail)).rejects.toThrow(TypeError);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('delivers and answers 200 with a body that is not JSON on a malformed-body fault', async () => {
    fake.faults.enqueue({ type: 'malformed-body' });
    const answer = await send(mail);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(MALFORMED_BODY);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('delays with a latency fault and still delivers', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 30 });
    expect((await send(mail)).status).toBe(202);
    expect(fake.deliveries).toHaveLength(1);
  });
});
