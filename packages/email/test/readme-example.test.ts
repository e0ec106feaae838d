import { FakeClock } from '@resilient/core/testing';
import { createEmailClient } from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import { expect, it } from 'vitest';

// The testing example of the README, as written there.
it('sends the welcome email through SendGrid when Resend is down', async () => {
  const clock = new FakeClock();
  const resend = new InMemoryEmailProvider({ name: 'resend', idempotencyKeys: true }).failAlways(
    'unavailable',
  );
  const sendgrid = new InMemoryEmailProvider({ name: 'sendgrid' });
  const email = createEmailClient({ providers: [resend, sendgrid], clock });

  const sending = email.send({
    from: 'hello@acme.example',
    to: 'ada@example.com',
    subject: 'Hi',
    text: 'Hi',
  });
  await clock.advance(60_000); // past Resend's retries, without real sleeps
  expect(await sending).toMatchObject({ provider: 'sendgrid' });
  expect(sendgrid.deliveries).toHaveLength(1);
  expect(resend.requests).toHaveLength(3);
});
