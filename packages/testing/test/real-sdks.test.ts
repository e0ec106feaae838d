import { MailService } from '@sendgrid/mail';
import { Resend } from 'resend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeResend, startFakeResend } from '../src/resend/fake-resend';
import { type FakeSendGrid, startFakeSendGrid } from '../src/sendgrid/fake-sendgrid';

let resendFake: FakeResend;
let sendgridFake: FakeSendGrid;
beforeAll(async () => {
  resendFake = await startFakeResend({ apiKey: 're_fake_key_123456' });
  sendgridFake = await startFakeSendGrid({ apiKey: 'SG.fake-key-123456' });
});
afterAll(async () => {
  await resendFake.close();
  await sendgridFake.close();
});

describe('the fakes, driven by the real SDKs', () => {
  it('serves the resend SDK: send, batch, idempotency replay and its error shape', async () => {
    const resend = new Resend('re_fake_key_123456', { baseUrl: resendFake.url });
    const email = { from: 'hello@example.com', to: 'ada@example.com', subject: 'Hi', text: 'Hi' };
    const sent = await resend.emails.send(email, { idempotencyKey: 'sdk-1' });
    const replayed = await resend.emails.send(email, { idempotencyKey: 'sdk-1' });
    expect(replayed.data).toEqual(sent.data);
    const batch = await resend.batch.send([email, email], { idempotencyKey: 'sdk-batch' });
    expect(batch.data?.data).toHaveLength(2);
    expect(resendFake.requests.map((request) => request.idempotencyKey)).toEqual([
      'sdk-1',
      'sdk-1',
      'sdk-batch',
    ]);
    expect(resendFake.deliveries).toHaveLength(3);
    resendFake.faults.enqueue({ type: 'status', code: 'daily_quota_exceeded' });
    const quota = await resend.emails.send(email);
    expect(quota.error).toEqual({
      statusCode: 429,
      name: 'daily_quota_exceeded',
      message: expect.any(String),
    });
  });

  it('serves @sendgrid/mail with the key set before the base URL: 202 with X-Message-Id, ResponseError on a fault', async () => {
    const mail = new MailService();
    mail.setApiKey('SG.fake-key-123456');
    (
      mail as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
    ).client.setDefaultRequest('baseUrl', sendgridFake.url);
    const message = { from: 'hello@example.com', to: 'ada@example.com', subject: 'Hi', text: 'Hi' };
    const [response] = await mail.send(message);
    expect(response.statusCode).toBe(202);
    expect(response.headers['x-message-id']).toBe(sendgridFake.deliveries[0]?.messageId);
    sendgridFake.faults.enqueue({ type: 'status', status: 413 });
    const error = await mail.send(message).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 413,
      response: { body: { errors: [{ message: expect.stringContaining('too large') }] } },
    });
  });
});
