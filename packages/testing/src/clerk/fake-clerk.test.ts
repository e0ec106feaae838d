import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeClerk, startFakeClerk } from './fake-clerk';

const KEY = 'sk_test_fake_clerk_0123456789';
let fake: FakeClerk;
let now = 0;
beforeAll(async () => {
  fake = await startFakeClerk({ apiKey: KEY, rateLimit: { limit: 3, windowMs: 1_000 }, now: () => now });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  now += 10_000;
});

const call = async (method: string, path: string, body?: unknown, key = KEY) => {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe('the fake Clerk', () => {
  it('creates users, refusing a taken email with a Clerk error body', async () => {
    expect((await call('POST', '/v1/users', { email_address: ['a@example.com'] })).status).toBe(200);
    const taken = await call('POST', '/v1/users', { email_address: ['a@example.com'] });
    expect(taken.status).toBe(422);
    expect(taken.headers.get('content-type')).toBe('application/json');
    expect(taken.body).toMatchObject({
      errors: [{ code: 'form_identifier_exists', meta: { param_name: 'email_address' } }],
      clerk_trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(fake.users).toHaveLength(1);
  });

  it('refuses another secret key with 401 authentication_invalid, and does not record the key', async () => {
    const refused = await call('GET', '/v1/jwks', undefined, 'sk_test_other');
    expect(refused).toMatchObject({ status: 401, body: { errors: [{ code: 'authentication_invalid' }] } });
    expect(JSON.stringify(fake.requests)).not.toContain('sk_test_other');
  });

  it('rate-limits the user endpoints with 429 too_many_requests and Retry-After in seconds', async () => {
    for (let index = 0; index < 3; index++) expect((await call('GET', '/v1/users')).status).toBe(200);
    const limited = await call('GET', '/v1/users');
    expect(limited).toMatchObject({ status: 429, body: { errors: [{ code: 'too_many_requests' }] } });
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('lists its signing keys, keeping the previous one through a rotation', async () => {
    const first = fake.keys.currentKid;
    const second = fake.keys.rotate();
    const { body } = await call('GET', '/v1/jwks');
    expect((body.keys as { kid: string }[]).map((key) => key.kid)).toEqual([second, first]);
    fake.keys.rotate(false);
    expect((await call('GET', '/v1/jwks')).body.keys).toHaveLength(1);
  });
});
