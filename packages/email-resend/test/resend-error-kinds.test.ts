import { type ErrorKind, type Outcome, ResilientError } from '@resilient/core';
import { type FakeResend, type Fault, findSecret, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { sendContext, simpleMessage } from './support';

const KEY = 'resend-canary-5b1f0c2e';
let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () => createResendProvider({ apiKey: KEY, baseUrl: fake.url });

async function failWith(fault: Fault): Promise<ResilientError> {
  fake.faults.enqueue(fault);
  const error = await provider()
    .send(simpleMessage, sendContext())
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  if (!ResilientError.isInstance(error)) throw new Error(`expected a ResilientError, got ${String(error)}`);
  return error;
}

interface Expected {
  kind: ErrorKind;
  outcome: Outcome;
  retryable: boolean;
  status: number | undefined;
  code: string | undefined;
}

const row = (
  kind: ErrorKind,
  outcome: Outcome,
  retryable: boolean,
  status: number | undefined,
  code: string | undefined,
): Expected => ({
  kind,
  outcome,
  retryable,
  status,
  code,
});

describe('Resend errors, through the real SDK, map to kinds', () => {
  it.each<[string, Fault, Expected]>([
    [
      'rate_limit_exceeded',
      { type: 'status', code: 'rate_limit_exceeded' },
      row('rate-limit', 'failed', true, 429, 'rate_limit_exceeded'),
    ],
    [
      'daily_quota_exceeded',
      { type: 'status', code: 'daily_quota_exceeded' },
      row('quota-exceeded', 'failed', false, 429, 'daily_quota_exceeded'),
    ],
    [
      'monthly_quota_exceeded',
      { type: 'status', code: 'monthly_quota_exceeded' },
      row('quota-exceeded', 'failed', false, 429, 'monthly_quota_exceeded'),
    ],
    [
      'validation_error',
      { type: 'status', status: 422 },
      row('invalid-request', 'failed', false, 422, 'validation_error'),
    ],
    [
      'validation_error 403',
      { type: 'status', status: 403, code: 'validation_error' },
      row('invalid-request', 'failed', false, 403, 'validation_error'),
    ],
    [
      'missing_required_field',
      { type: 'status', code: 'missing_required_field' },
      row('invalid-request', 'failed', false, 422, 'missing_required_field'),
    ],
    [
      'invalid_from_address',
      { type: 'status', code: 'invalid_from_address' },
      row('invalid-request', 'failed', false, 422, 'invalid_from_address'),
    ],
    [
      'invalid_attachment',
      { type: 'status', code: 'invalid_attachment' },
      row('invalid-request', 'failed', false, 422, 'invalid_attachment'),
    ],
    [
      'invalid_parameter',
      { type: 'status', code: 'invalid_parameter' },
      row('invalid-request', 'failed', false, 422, 'invalid_parameter'),
    ],
    [
      'invalid_idempotency_key',
      { type: 'status', code: 'invalid_idempotency_key' },
      row('invalid-request', 'failed', false, 400, 'invalid_idempotency_key'),
    ],
    [
      'an invalid_* name Resend adds later',
      { type: 'status', status: 422, code: 'invalid_something_new' },
      row('invalid-request', 'failed', false, 422, 'invalid_something_new'),
    ],
    [
      'security_error',
      { type: 'status', code: 'security_error' },
      row('invalid-request', 'failed', false, 451, 'security_error'),
    ],
    [
      'missing_api_key',
      { type: 'status', status: 401 },
      row('auth', 'failed', false, 401, 'missing_api_key'),
    ],
    [
      'invalid_api_key',
      { type: 'status', status: 403 },
      row('auth', 'failed', false, 403, 'invalid_api_key'),
    ],
    [
      'restricted_api_key',
      { type: 'status', code: 'restricted_api_key' },
      row('permission', 'failed', false, 401, 'restricted_api_key'),
    ],
    ['not_found', { type: 'status', code: 'not_found' }, row('not-found', 'failed', false, 404, 'not_found')],
    [
      'concurrent_idempotent_requests',
      { type: 'status', code: 'concurrent_idempotent_requests' },
      row('conflict', 'failed', true, 409, 'concurrent_idempotent_requests'),
    ],
    [
      'invalid_idempotent_request',
      { type: 'status', code: 'invalid_idempotent_request' },
      row('conflict', 'failed', false, 409, 'invalid_idempotent_request'),
    ],
    [
      'application_error 500',
      { type: 'status', status: 500 },
      row('server', 'unknown', true, 500, 'application_error'),
    ],
    [
      'internal_server_error 500',
      { type: 'status', code: 'internal_server_error' },
      row('server', 'unknown', true, 500, 'internal_server_error'),
    ],
    [
      'application_error 503',
      { type: 'status', status: 503 },
      row('unavailable', 'failed', true, 503, 'application_error'),
    ],
    [
      'an HTML 502 from a gateway',
      { type: 'status', status: 502, body: '<html>502 Bad Gateway</html>' },
      row('unavailable', 'unknown', true, 502, 'application_error'),
    ],
    [
      'a reset before the answer',
      { type: 'reset' },
      row('network', 'unknown', true, undefined, 'application_error'),
    ],
    [
      'an applied request whose answer was lost',
      { type: 'applied-response-lost' },
      row('network', 'unknown', true, undefined, 'application_error'),
    ],
    [
      'a 200 whose body is not JSON',
      { type: 'malformed-body' },
      row('network', 'unknown', true, undefined, 'application_error'),
    ],
  ])('%s', async (_name, fault, expected) => {
    const error = await failWith(fault);
    expect({
      kind: error.kind,
      outcome: error.outcome,
      retryable: error.retryable,
      status: error.status,
      code: error.code,
    }).toEqual(expected);
    expect(error.service).toBe('resend');
    expect(findSecret(error, KEY)).toEqual([]);
  });
});
