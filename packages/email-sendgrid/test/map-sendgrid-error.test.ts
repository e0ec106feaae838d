import { ResilientError } from '@resilient/core';
import { describe, expect, it } from 'vitest';
import { mapSendGridError } from '../src/map-sendgrid-error';

describe('mapSendGridError', () => {
  it('returns a ResilientError as it is', () => {
    const original = new ResilientError({ kind: 'invalid-request', service: 'sendgrid' });
    expect(mapSendGridError(original)).toBe(original);
  });

  it('reads X-RateLimit-Reset against the given time, and ignores it while requests remain', () => {
    const now = 1_700_000_000_000;
    const response = (remaining: string) => ({
      code: 429,
      message: 'Too Many Requests',
      response: {
        headers: { 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': String(now / 1000 + 12) },
        body: {},
      },
    });
    expect(mapSendGridError(response('0'), { now }).retryAfterMs).toBe(12_000);
    expect(mapSendGridError({ ...response('3'), code: 500 }, { now }).retryAfterMs).toBeUndefined();
  });

  it('redacts secrets in messages and keeps only a plain copy of the errors', () => {
    const error = mapSendGridError({
      code: 400,
      message: 'Bad Request',
      response: {
        headers: { 'set-cookie': 'session=abc' },
        body: { errors: [{ message: 'key SG.abcdefgh.ijklmnop is wrong', field: null, help: null }] },
      },
    });
    expect(error.message).toBe('sendgrid: Bad Request (HTTP 400): key [redacted] is wrong');
    expect(error.cause).toEqual({
      name: 'ResponseError',
      code: 400,
      message: 'Bad Request',
      errors: [{ message: 'key [redacted] is wrong', field: null }],
    });
  });

  it('maps an axios error without a known code to a network error with an unknown outcome', () => {
    const error = mapSendGridError({
      isAxiosError: true,
      code: 'ERR_BAD_RESPONSE',
      message: 'weird',
      config: { headers: {} },
    });
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', code: 'ERR_BAD_RESPONSE' });
  });

  it.each([
    ['ENOTFOUND', 'network', 'not-sent'],
    ['EAI_AGAIN', 'network', 'not-sent'],
    ['ECONNREFUSED', 'network', 'not-sent'],
    ['ECONNRESET', 'network', 'unknown'],
    ['EPIPE', 'network', 'unknown'],
    ['ECONNABORTED', 'timeout', 'unknown'],
    ['ETIMEDOUT', 'timeout', 'unknown'],
  ])('maps an axios %s to %s, outcome %s', (code, kind, outcome) => {
    const error = mapSendGridError({
      isAxiosError: true,
      code,
      message: `failed ${code}`,
      config: { headers: {} },
    });
    expect(error).toMatchObject({ kind, outcome, code, service: 'sendgrid' });
  });

  it('reads the network code from the cause when axios gives none', () => {
    const error = mapSendGridError({
      isAxiosError: true,
      message: 'connect failed',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
  });

  it('maps an error with a status but no SendGrid body by its status', () => {
    expect(
      mapSendGridError({
        code: 504,
        message: 'Gateway Timeout',
        response: { headers: {}, body: 'upstream timed out' },
      }),
    ).toMatchObject({
      kind: 'unavailable',
      outcome: 'unknown',
      message: 'sendgrid: Gateway Timeout (HTTP 504)',
    });
  });
});
