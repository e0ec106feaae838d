import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MALFORMED_BODY } from '../src/core/fault';
import { type FakeResend, startFakeResend } from '../src/resend/fake-resend';
import { postJson } from './post-json';

const email = { from: 'Acme <hello@example.com>', to: ['ada@example.com'], subject: 'Hi', html: '<p>Hi</p>' };

let fake: FakeResend;
const now = 1_700_000_000_000;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: 're_test_key', now: () => now });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const send = (body: unknown, options: Parameters<typeof postJson>[2] = {}) =>
  postJson(`${fake.url}/emails`, body, { apiKey: 're_test_key', ...options });

describe('fake Resend: faults', () => {
  it.each([
    [{ status: 401 }, 401, 'missing_api_key'],
    [{ status: 403 }, 403, 'invalid_api_key'],
    [{ status: 422 }, 422, 'validation_error'],
    [{ code: 'daily_quota_exceeded' }, 429, 'daily_quota_exceeded'],
    [{ code: 'monthly_quota_exceeded' }, 429, 'monthly_quota_exceeded'],
    [{ code: 'restricted_api_key' }, 401, 'restricted_api_key'],
    [{ status: 500 }, 500, 'application_error'],
    [{ status: 503, code: 'internal_server_error' }, 503, 'internal_server_error'],
  ])('answers a status fault %j with Resend’s error body', async (fault, status, name) => {
    fake.faults.enqueue({ type: 'status', ...fault });
    const answer = await send(email);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ statusCode: status, name, message: expect.any(String) });
    expect(fake.deliveries).toHaveLength(0);
    expect((await send(email)).status).toBe(200);
  });

  it('sends rate-limit headers with a rate_limit_exceeded fault', async () => {
    fake.faults.enqueue({ type: 'status', status: 429, retryAfterSeconds: 7 });
    const answer = await send(email);
    expect(answer.json).toMatchObject({ name: 'rate_limit_exceeded' });
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('ratelimit-reset')).toBe('7');
  });

  it('sends a raw body when the fault gives one', async () => {
    fake.faults.enqueue({ type: 'status', status: 502, body: '<html>Bad gateway</html>' });
    const answer = await send(email);
    expect(answer.status).toBe(502);
    expect(answer.text).toBe('<html>Bad gateway</html>');
  });

  it('delays the answer with a latency fault and still delivers', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 30 });
    expect((await send(email)).status).toBe(200);
    expect(fake.deliveries).toHaveLength(1);
    expect(fake.faults.applied).toEqual([
      { request: 1, fault: { type: 'latency', ms: 30 }, source: 'script' },
    ]);
  });

  it('never answers with a hang fault, until the client gives up', async () => {
    fake.faults.enqueue({ type: 'hang' });
    await expect(send(email, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(fake.deliveries).toHaveLength(0);
  });

  it('destroys the connection without delivering on a reset fault', async () => {
    fake.faults.enqueue({ type: 'reset' });
    await expect(send(email)).rejects.toThrow(TypeError);
    expect(fake.deliveries).toHaveLength(0);
  });

  it('delivers, then answers 200 with a body that is not JSON, on a malformed-body fault', async () => {
    fake.faults.enqueue({ type: 'malformed-body' });
    const answer = await send(email);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(MALFORMED_BODY);
    expect(answer.json).toBeUndefined();
    expect(fake.deliveries).toHaveLength(1);
  });

  it('delivers, then destroys the connection, on an applied-response-lost fault; a retry with the key replays', async () => {
    fake.faults.enqueue({ type: 'applied-response-lost' });
    await expect(send(email, { headers: { 'idempotency-key': 'lost' } })).rejects.toThrow(TypeError);
    expect(fake.deliveries).toHaveLength(1);
    const retried = await send(email, { headers: { 'idempotency-key': 'lost' } });
    expect(retried.status).toBe(200);
    expect(retried.json).toEqual({ id: fake.deliveries[0]?.id });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('injects the same random faults for the same seed', async () => {
    const run = async () => {
      fake.reset();
      fake.faults.atRandom({ seed: 99, probability: 0.5, faults: [{ type: 'status', status: 500 }] });
      const statuses: number[] = [];
      for (let index = 0; index < 10; index++) statuses.push((await send(email)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('forgets deliveries, requests, faults and keys on reset', async () => {
    await send(email, { headers: { 'idempotency-key': 'reset-me' } });
    fake.faults.enqueue({ type: 'reset' });
    fake.reset();
    expect(fake.deliveries).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
    expect(fake.faults.pending).toBe(0);
    expect(
      (await send({ ...email, subject: 'Other' }, { headers: { 'idempotency-key': 'reset-me' } })).status,
    ).toBe(200);
  });
});
