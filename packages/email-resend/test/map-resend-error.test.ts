import { describe, expect, it } from 'vitest';
import { mapResendError } from '../src/map-resend-error';

describe('mapResendError', () => {
  it('treats a named error the SDK raised itself (statusCode null) as not sent', () => {
    const error = mapResendError(
      { name: 'invalid_parameter', statusCode: null, message: 'Path parameters cannot be `.` or `..`.' },
      null,
    );
    expect(error).toMatchObject({ kind: 'invalid-request', outcome: 'not-sent', status: undefined });
  });

  it('treats an unnamed or unknown error without a status as a network failure that may have been applied', () => {
    expect(mapResendError({}, null)).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true });
    expect(mapResendError({ name: 'something_else', statusCode: null }, null)).toMatchObject({
      kind: 'network',
    });
  });

  it('reads the network code NetworkAwareResend adds: a connection never made was not sent', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(mapResendError({ name: 'application_error', statusCode: null, code }, null)).toMatchObject({
        kind: 'network',
        outcome: 'not-sent',
        retryable: true,
      });
    }
    expect(
      mapResendError({ name: 'application_error', statusCode: null, code: 'UND_ERR_SOCKET' }, null),
    ).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
    });
    expect(
      mapResendError({ name: 'application_error', statusCode: null, code: 'UND_ERR_CONNECT_TIMEOUT' }, null),
    ).toMatchObject({
      kind: 'timeout',
      outcome: 'not-sent',
    });
  });

  it('reads an unknown name with a status from the status', () => {
    expect(mapResendError({ name: 'teapot', statusCode: 418 }, {})).toMatchObject({
      kind: 'invalid-request',
      outcome: 'failed',
    });
    expect(mapResendError({ name: 'gateway_timeout', statusCode: 504 }, {})).toMatchObject({
      kind: 'unavailable',
      outcome: 'unknown',
    });
    expect(mapResendError({ statusCode: 429 }, { 'retry-after': '2' })).toMatchObject({
      kind: 'rate-limit',
      retryAfterMs: 2_000,
    });
  });

  it('reads the delay of a rate limit from ratelimit-reset when retry-after is absent', () => {
    const error = mapResendError(
      { name: 'rate_limit_exceeded', statusCode: 429 },
      { 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '4' },
    );
    expect(error.retryAfterMs).toBe(4_000);
  });

  it('reads an HTTP-date retry-after against the given time', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const error = mapResendError(
      { name: 'rate_limit_exceeded', statusCode: 429 },
      { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' },
      { now },
    );
    expect(error.retryAfterMs).toBe(5_000);
  });

  it('keeps a redacted plain copy of the error as the cause, and the request id', () => {
    const error = mapResendError(
      { name: 'invalid_api_key', statusCode: 403, message: 'API key re_abcdefgh12345 is invalid' },
      { 'x-request-id': 'req-1' },
      { service: 'mail' },
    );
    expect(error.message).toBe('mail: API key [redacted] is invalid (invalid_api_key, HTTP 403)');
    expect(error.cause).toEqual({
      name: 'invalid_api_key',
      statusCode: 403,
      message: 'API key [redacted] is invalid',
    });
    expect(Object.isFrozen(error.cause)).toBe(true);
    expect(error.requestId).toBe('req-1');
    expect(error.service).toBe('mail');
  });

  it('describes an error without a message', () => {
    expect(mapResendError({ statusCode: 500 }, null).message).toBe('resend: the request failed (HTTP 500)');
  });
});
