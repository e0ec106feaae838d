import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

describe('fake Resend: sending', () => {
  it('accepts a valid email with { id } and keeps it as a delivery', async () => {
    const answer = await send(email);
    expect(answer.status).toBe(200);
    const { id } = answer.json as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    expect(fake.deliveries).toEqual([{ id, email, endpoint: '/emails', idempotencyKey: undefined }]);
  });

  it('records every request without the API key', async () => {
    await send(email, { headers: { 'idempotency-key': 'k-1' } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/emails',
      body: email,
      idempotencyKey: 'k-1',
    });
    expect(fake.requests[0]?.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(fake.requests)).not.toContain('re_test_key');
  });

  it.each([
    [{ ...email, to: undefined }, 'missing_required_field', 'Missing `to` field.'],
    [{ ...email, html: undefined }, 'missing_required_field', 'Missing `html` or `text` field.'],
    [{ ...email, to: 'not-an-address' }, 'validation_error', 'Invalid `to` field.'],
    [{ ...email, tags: [{ name: 'has space', value: 'x' }] }, 'validation_error', 'Tags must be'],
    [{ ...email, attachments: [{ filename: 'a.txt' }] }, 'invalid_attachment', 'Attachment must have'],
  ])('rejects an invalid email with 422 %#', async (body, name, message) => {
    const answer = await send(body);
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({ statusCode: 422, name, message: expect.stringContaining(message) });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('sends a strict batch in one go, or rejects it whole', async () => {
    const ok = await postJson(`${fake.url}/emails/batch`, [email, { ...email, to: 'grace@example.com' }], {
      apiKey: 're_test_key',
    });
    expect(ok.status).toBe(200);
    expect((ok.json as { data: unknown[] }).data).toHaveLength(2);
    expect(fake.deliveries.map((delivery) => delivery.endpoint)).toEqual(['/emails/batch', '/emails/batch']);
    const bad = await postJson(`${fake.url}/emails/batch`, [email, { ...email, to: 'nope' }], {
      apiKey: 're_test_key',
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({
      name: 'validation_error',
      message: expect.stringContaining('emails[1]'),
    });
    expect(fake.deliveries).toHaveLength(2);
  });

  it('sends the valid part of a permissive batch and lists the others', async () => {
    const answer = await postJson(`${fake.url}/emails/batch`, [{ ...email, to: 'nope' }, email], {
      apiKey: 're_test_key',
      headers: { 'x-batch-validation': 'permissive' },
    });
    expect(answer.status).toBe(200);
    const body = answer.json as { data: unknown[]; errors: { index: number }[] };
    expect(body.data).toHaveLength(1);
    expect(body.errors).toEqual([{ index: 0, message: expect.stringContaining('Invalid `to`') }]);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('refuses attachments in a batch', async () => {
    const answer = await postJson(
      `${fake.url}/emails/batch`,
      [{ ...email, attachments: [{ filename: 'a', content: 'YQ==' }] }],
      {
        apiKey: 're_test_key',
      },
    );
    expect(answer.status).toBe(422);
  });

  it('answers not_found and method_not_allowed like Resend', async () => {
    expect((await postJson(`${fake.url}/nothing`, email)).json).toMatchObject({
      statusCode: 404,
      name: 'not_found',
    });
    const get = await fetch(`${fake.url}/emails`, { headers: { authorization: 'Bearer re_test_key' } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ name: 'method_not_allowed' });
  });
});

describe('fake Resend: authorization', () => {
  it('answers 401 missing_api_key without an Authorization header', async () => {
    const answer = await send(email, { apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
  });

  it('answers 403 invalid_api_key for another key', async () => {
    const answer = await send(email, { apiKey: 're_wrong_key' });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('accepts any key when none is configured', async () => {
    const open = await startFakeResend();
    try {
      expect((await postJson(`${open.url}/emails`, email, { apiKey: 'anything' })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
