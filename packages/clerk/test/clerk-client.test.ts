import { createClerkClient } from '@clerk/backend';
import { constantBackoff, RateLimitError, ResilientError } from '@resilient/core';
import { type FakeClerk, findSecret, startFakeClerk } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientClerk, mapClerkError } from '../src/index';

const SECRET = 'sk_test_clerk_client_canary_0123456789abcdef';
let fake: FakeClerk;
beforeAll(async () => {
  fake = await startFakeClerk({ apiKey: SECRET });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const fast = {
  retry: { maxAttempts: 3, backoff: constantBackoff(1), budget: false },
  circuitBreaker: false,
} as const;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ResilientError,
  );

describe('the resilient Clerk client against the fake, with the real @clerk/backend', () => {
  it('creates, gets, lists and deletes users with Clerk types kept', async () => {
    const client = createResilientClerk(createClerkClient({ secretKey: SECRET, apiUrl: fake.url }), fast);
    const created = await client.users.createUser({
      emailAddress: ['ada@example.com'],
      externalId: 'acct_1',
    });
    expect(created.primaryEmailAddress?.emailAddress).toBe('ada@example.com');
    expect((await client.users.getUser(created.id)).externalId).toBe('acct_1');
    const list = await client.users.getUserList({ emailAddress: ['ada@example.com'] });
    expect(list.totalCount).toBe(1);
    expect(list.data[0]?.id).toBe(created.id);
    await client.users.deleteUser(created.id);
    expect(fake.users).toHaveLength(0);
  });

  it('builds the Clerk client from settings', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, fast);
    await client.users.createUser({ emailAddress: ['grace@example.com'] });
    expect(fake.users).toHaveLength(1);
    expect(client.clerk.users).toBeDefined();
  });

  it.each([
    [401, 'auth', 'authentication_invalid', false],
    [403, 'permission', 'authorization_invalid', false],
    [404, 'not-found', 'resource_not_found', false],
    [422, 'invalid-request', 'form_param_missing', false],
    [500, 'server', 'internal_clerk_error', true],
    [503, 'unavailable', 'service_unavailable', true],
  ] as const)('maps a %i answer to %s with the code and trace id', async (status, kind, code, retryable) => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, { ...fast, retry: false });
    fake.faults.enqueue({ type: 'status', status });
    const error = await failure(client.users.getUser('user_1'));
    expect(error).toBeInstanceOf(ResilientError);
    expect(error).toMatchObject({ kind, code, status, retryable, service: 'clerk' });
    expect(error?.outcome).toBe(status === 500 ? 'unknown' : 'failed');
    expect(error?.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps a 429 to a RateLimitError carrying the Retry-After delay', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, { ...fast, retry: false });
    fake.faults.enqueue({ type: 'status', status: 429, retryAfterSeconds: 7 });
    const error = await failure(client.users.getUser('user_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 7000, code: 'too_many_requests' });
  });

  it('maps a reset connection and an unreadable body to network errors with an unknown outcome', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, { ...fast, retry: false });
    fake.faults.enqueue({ type: 'reset' }, { type: 'malformed-body' });
    for (let index = 0; index < 2; index++) {
      const error = await failure(client.users.getUser('user_1'));
      expect(error).toMatchObject({
        kind: 'network',
        outcome: 'unknown',
        code: 'unexpected_error',
        retryable: true,
      });
    }
  });

  it('retries a read through a reset and a 503', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, fast);
    const user = await client.users.createUser({ emailAddress: ['retry@example.com'] });
    fake.faults.enqueue({ type: 'reset' }, { type: 'status', status: 503 });
    expect((await client.users.getUser(user.id)).id).toBe(user.id);
    expect(fake.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
  });

  it('does not retry a create whose answer was lost, so no duplicate is made', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, fast);
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const error = await failure(client.users.createUser({ emailAddress: ['once@example.com'] }));
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.users).toHaveLength(1);
  });

  it('retries a create after a 503, when nothing was applied', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, fast);
    fake.faults.enqueue({ type: 'status', status: 503 });
    await client.users.createUser({ emailAddress: ['after503@example.com'] });
    expect(fake.users).toHaveLength(1);
  });

  it('with lookBeforeRetry, finds the user a lost create made instead of creating it twice', async () => {
    const client = createResilientClerk(
      { secretKey: SECRET, apiUrl: fake.url },
      { ...fast, lookBeforeRetry: true },
    );
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const user = await client.users.createUser({
      emailAddress: ['look@example.com'],
      externalId: 'acct_look',
    });
    expect(fake.users).toHaveLength(1);
    expect(user.id).toBe(fake.users[0]?.id);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/users',
      'GET /v1/users',
      'GET /v1/users/count',
    ]);
  });

  it('with lookBeforeRetry, creates the user on retry when the first attempt applied nothing', async () => {
    const client = createResilientClerk(
      { secretKey: SECRET, apiUrl: fake.url },
      { ...fast, lookBeforeRetry: true },
    );
    fake.faults.enqueue({ type: 'reset' });
    await client.users.createUser({ emailAddress: ['second@example.com'] });
    expect(fake.users.map((user) => user.email_addresses[0]?.email_address)).toEqual(['second@example.com']);
  });

  it('runs other APIs and any call through the same pipeline', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, { ...fast, retry: false });
    fake.faults.enqueue({ type: 'status', status: 404 }, { type: 'status', status: 403 });
    expect(await failure(client.api('emailAddresses').getEmailAddress('idn_1'))).toMatchObject({
      kind: 'not-found',
    });
    expect(await failure(client.call('users.getCount', (clerk) => clerk.users.getCount()))).toMatchObject({
      kind: 'permission',
    });
  });

  it('never puts the secret key in an error', async () => {
    const client = createResilientClerk({ secretKey: SECRET, apiUrl: fake.url }, { ...fast, retry: false });
    fake.faults.enqueue({ type: 'status', status: 401 }, { type: 'reset' });
    for (let index = 0; index < 2; index++)
      expect(findSecret(await failure(client.users.getUser('user_1')), SECRET)).toEqual([]);
    const wrongKey = createResilientClerk(
      { secretKey: 'sk_test_wrong', apiUrl: fake.url },
      { ...fast, retry: false },
    );
    expect(await failure(wrongKey.users.getUser('user_1'))).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('leaves errors that are not from Clerk to classifyError', () => {
    expect(mapClerkError(new TypeError('boom'))).toMatchObject({ kind: 'unknown', service: 'clerk' });
  });

  it('checks its options when built, naming the option', () => {
    const clerk = createClerkClient({ secretKey: SECRET, apiUrl: fake.url });
    expect(() => createResilientClerk(clerk, { lookBeforeRetry: 'yes' as unknown as boolean })).toThrow(
      /lookBeforeRetry/,
    );
    expect(() => createResilientClerk(clerk, { idempotent: true } as never)).toThrow(
      /idempotent is not an option/,
    );
    expect(() => createResilientClerk(clerk, { retrys: 1 } as never)).toThrow(/unknown option "retrys"/);
    expect(() => createResilientClerk(clerk, { service: ' ' })).toThrow(/service/);
    expect(() => createResilientClerk(null as never)).toThrow(/createClerkClient/);
    expect(() => createResilientClerk(clerk).api('nope' as never)).toThrow(/not a Clerk Backend API/);
  });
});
