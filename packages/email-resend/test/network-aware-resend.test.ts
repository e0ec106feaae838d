import { type FakeResend, startFakeResend } from '@resilient/testing';
import { Resend } from 'resend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkAwareResend } from '../src/network-aware-resend';

const KEY = 'resend-canary-5b1f0c2e';
const email = { from: 'hello@example.com', to: 'ada@example.com', subject: 'Hi', text: 'Hi' };
let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The same call through the SDK's own client and through NetworkAwareResend. */
async function both<T>(call: (client: Resend) => Promise<T>): Promise<[T, T]> {
  const plain = await call(new Resend(KEY, { baseUrl: fake.url }));
  const aware = await call(new NetworkAwareResend(KEY, { baseUrl: fake.url }));
  return [plain, aware];
}

describe('NetworkAwareResend', () => {
  it('sends what the SDK sends: same body, idempotency key and batch header', async () => {
    await both((client) => client.emails.send(email, { idempotencyKey: 'same-key' }));
    await both((client) => client.batch.send([email], { idempotencyKey: 'batch-key' }));
    const [plain, aware, plainBatch, awareBatch] = fake.requests;
    expect(aware?.body).toEqual(plain?.body);
    expect(awareBatch?.body).toEqual(plainBatch?.body);
    expect(awareBatch?.headers['x-batch-validation']).toBe('strict');
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual([
      'same-key',
      'same-key',
      'batch-key',
      'batch-key',
    ]);
    expect(aware?.headers.authorization).toBe('[redacted]');
  });

  it('answers a success and an error as the SDK does', async () => {
    const [plain, aware] = await both((client) => client.emails.send(email));
    expect(Object.keys(aware.data ?? {})).toEqual(Object.keys(plain.data ?? {}));
    expect(aware.error).toBeNull();
    fake.faults.enqueue(
      { type: 'status', code: 'daily_quota_exceeded' },
      { type: 'status', code: 'daily_quota_exceeded' },
    );
    const [plainError, awareError] = await both((client) => client.emails.send(email));
    expect(awareError.error).toEqual(plainError.error);
    expect(awareError.headers?.['content-type']).toBe(plainError.headers?.['content-type']);
  });

  it('answers an error whose body is not JSON as the SDK does', async () => {
    const gateway = { type: 'status', status: 502, body: '<html>Bad Gateway</html>' } as const;
    fake.faults.enqueue(gateway, gateway);
    const [plain, aware] = await both((client) => client.emails.send(email));
    expect(aware.error).toEqual(plain.error);
  });

  it('adds the network code to a failed fetch: refused, reset', async () => {
    const closed = await startFakeResend();
    await closed.close();
    const refused = await new NetworkAwareResend(KEY, { baseUrl: closed.url }).emails.send(email);
    expect(refused).toEqual({
      data: null,
      error: {
        name: 'application_error',
        statusCode: null,
        message: expect.any(String),
        code: 'ECONNREFUSED',
      },
      headers: null,
    });
    fake.faults.enqueue({ type: 'reset' });
    const reset = await new NetworkAwareResend(KEY, { baseUrl: fake.url }).emails.send(email);
    expect(reset.error).toMatchObject({ statusCode: null, code: 'UND_ERR_SOCKET' });
  });

  it('reports a 2xx whose body is not JSON as a failed fetch without a code, keeping the headers', async () => {
    fake.faults.enqueue({ type: 'malformed-body' });
    const result = await new NetworkAwareResend(KEY, { baseUrl: fake.url }).emails.send(email);
    expect(result.error).toEqual({
      name: 'application_error',
      statusCode: null,
      message: expect.any(String),
    });
    expect(result.headers?.['content-type']).toContain('application/json');
  });

  it('leaves every other call to the SDK', async () => {
    const result = await new NetworkAwareResend(KEY, { baseUrl: fake.url }).emails.get(
      '4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
    );
    expect(result.error).toMatchObject({ statusCode: 404, name: 'not_found' });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/emails/4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
    });
    const traversal = await new NetworkAwareResend(KEY, { baseUrl: fake.url }).emails.get('..');
    expect(traversal.error).toMatchObject({ name: 'invalid_parameter', statusCode: null });
  });
});
