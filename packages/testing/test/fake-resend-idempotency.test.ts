import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeResend, startFakeResend } from '../src/resend/fake-resend';
import { postJson } from './post-json';

const email = { from: 'Acme <hello@example.com>', to: ['ada@example.com'], subject: 'Hi', html: '<p>Hi</p>' };

let fake: FakeResend;
let now = 1_700_000_000_000;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: 're_test_key', now: () => now });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const send = (body: unknown, options: Parameters<typeof postJson>[2] = {}) =>
  postJson(`${fake.url}/emails`, body, { apiKey: 're_test_key', ...options });

describe('fake Resend: idempotency keys', () => {
  it('replays the first answer for the same key and payload without delivering again', async () => {
    const first = await send(email, { headers: { 'idempotency-key': 'welcome-1' } });
    const second = await send(email, { headers: { 'idempotency-key': 'welcome-1' } });
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('treats the same payload with its keys in another order as the same payload', async () => {
    await send(email, { headers: { 'idempotency-key': 'order' } });
    const reordered = { html: email.html, subject: email.subject, to: email.to, from: email.from };
    expect((await send(reordered, { headers: { 'idempotency-key': 'order' } })).status).toBe(200);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('answers 409 invalid_idempotent_request for the same key with another payload', async () => {
    await send(email, { headers: { 'idempotency-key': 'welcome-2' } });
    const answer = await send(
      { ...email, subject: 'Other' },
      { headers: { 'idempotency-key': 'welcome-2' } },
    );
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ name: 'invalid_idempotent_request' });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('answers 409 concurrent_idempotent_requests while the first is still in flight', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 150 });
    const first = send(email, { headers: { 'idempotency-key': 'slow' } });
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    const second = await send(email, { headers: { 'idempotency-key': 'slow' } });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ name: 'concurrent_idempotent_requests' });
    expect((await first).status).toBe(200);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('frees the key after a failed request', async () => {
    const rejected = await send({ ...email, to: 'nope' }, { headers: { 'idempotency-key': 'retry-me' } });
    expect(rejected.status).toBe(422);
    const accepted = await send(
      { ...email, to: 'ada@example.com' },
      { headers: { 'idempotency-key': 'retry-me' } },
    );
    expect(accepted.status).toBe(200);
  });

  it('forgets a key after 24 hours', async () => {
    await send(email, { headers: { 'idempotency-key': 'old' } });
    now += 24 * 60 * 60 * 1000;
    expect((await send({ ...email, subject: 'New' }, { headers: { 'idempotency-key': 'old' } })).status).toBe(
      200,
    );
    expect(fake.deliveries).toHaveLength(2);
  });

  it('answers 400 invalid_idempotency_key for a key longer than 256 characters', async () => {
    const answer = await send(email, { headers: { 'idempotency-key': 'k'.repeat(257) } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ name: 'invalid_idempotency_key' });
  });
});

describe('fake Resend: rate limit', () => {
  it('sends ratelimit headers and answers 429 rate_limit_exceeded with retry-after past the limit', async () => {
    const limited = await startFakeResend({ rateLimit: { limit: 2, windowMs: 1_000 }, now: () => now });
    try {
      const first = await postJson(`${limited.url}/emails`, email);
      expect(first.headers.get('ratelimit-limit')).toBe('2');
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      expect(first.headers.get('ratelimit-reset')).toBe('1');
      await postJson(`${limited.url}/emails`, email);
      const third = await postJson(`${limited.url}/emails`, email);
      expect(third.status).toBe(429);
      expect(third.json).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
      expect(third.headers.get('retry-after')).toBe('1');
      expect(third.headers.get('ratelimit-remaining')).toBe('0');
      expect(limited.deliveries).toHaveLength(2);
      now += 1_000;
      expect((await postJson(`${limited.url}/emails`, email)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
