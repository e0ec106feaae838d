import { ResilientError, TimeoutError } from '@resilient/core';
import { EmailDeliveryError, EmailValidationError } from '@resilient/email';
import { describe, expect, it } from 'vitest';

const failure = (provider: string, error: ResilientError, outcome = error.outcome, attempts = 1) => ({
  provider,
  kind: error.kind,
  outcome,
  attempts,
  error,
});

describe('EmailDeliveryError', () => {
  const unavailable = new ResilientError({
    kind: 'unavailable',
    outcome: 'failed',
    status: 503,
    retryAfterMs: 30_000,
  });
  const refused = new ResilientError({ kind: 'network', outcome: 'not-sent', retryAfterMs: 5_000 });

  it('takes kind, status and cause from the last provider, and the most cautious outcome of all', () => {
    const error = new EmailDeliveryError({
      failures: [
        failure('resend', new TimeoutError({ scope: 'attempt', timeoutMs: 10 }), 'unknown', 3),
        failure('sendgrid', refused, 'not-sent', 2),
      ],
      reason: 'exhausted',
      untried: [],
      idempotencyKey: 'k',
    });
    expect(error).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
      attempts: 5,
      service: 'sendgrid',
      retryable: true,
    });
    expect(error.cause).toBe(refused);
    expect(EmailDeliveryError.isInstance(error)).toBe(true);
    expect(ResilientError.isInstance(error)).toBe(true);
    expect(EmailValidationError.isInstance(error)).toBe(false);
  });

  it('reports the earliest retry-after of the providers', () => {
    const error = new EmailDeliveryError({
      failures: [failure('resend', unavailable), failure('sendgrid', refused)],
      reason: 'exhausted',
      untried: [],
      idempotencyKey: 'k',
    });
    expect(error.retryAfterMs).toBe(5_000);
  });

  it('says in its message what each provider did and why it stopped, without provider text', () => {
    const leaky = new ResilientError({
      kind: 'invalid-request',
      outcome: 'failed',
      status: 422,
      code: '406',
      message: 'inactive: ada@example.com',
    });
    const error = new EmailDeliveryError({
      failures: [failure('postmark', leaky)],
      reason: 'not-failed-over',
      untried: ['resend'],
      idempotencyKey: 'k',
    });
    expect(error.message).toBe(
      'Email not sent: invalid-request is not a provider failure, so it was not failed over (postmark: invalid-request, HTTP 422, code 406, 1 attempt)',
    );
    expect(error.message).not.toContain('ada@example.com');
  });

  it('serializes to the fields a log wants, with each provider but without causes', () => {
    const error = new EmailDeliveryError({
      failures: [failure('resend', unavailable, 'failed', 3)],
      reason: 'duplicate-risk',
      untried: ['sendgrid'],
      idempotencyKey: 'welcome-42',
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'EmailDeliveryError',
      kind: 'unavailable',
      reason: 'duplicate-risk',
      idempotencyKey: 'welcome-42',
      untried: ['sendgrid'],
      attempts: 3,
      failures: [{ provider: 'resend', kind: 'unavailable', outcome: 'failed', attempts: 3, status: 503 }],
    });
  });

  it('refuses to be built without a failure', () => {
    expect(
      () => new EmailDeliveryError({ failures: [], reason: 'exhausted', untried: [], idempotencyKey: 'k' }),
    ).toThrow(/failures must list at least one provider/);
  });
});
