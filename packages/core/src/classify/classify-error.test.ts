import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error';
import { CancelledError } from '../errors/cancelled-error';
import { CircuitOpenError } from '../errors/circuit-open-error';
import { isErrorKind } from '../errors/error-kind';
import { RateLimitError } from '../errors/rate-limit-error';
import { ResilientError } from '../errors/resilient-error';
import { TimeoutError } from '../errors/timeout-error';
import { classifyError } from './classify-error';

const NOW = Date.UTC(2026, 9, 21, 7, 28, 0);
const NOW_SECONDS = NOW / 1000;

/** What stripe 23's `StripeError` constructor builds from a raw error (`esm/Error.js`): `name` stays "Error". */
function stripeError(type: string, raw: Record<string, unknown>): Error & Record<string, unknown> {
  const error = new Error(String(raw.message ?? '')) as Error & Record<string, unknown>;
  Object.assign(error, {
    type,
    raw,
    rawType: raw.type,
    detail: raw.detail,
    headers: raw.headers,
    requestId: raw.requestId,
    statusCode: raw.statusCode,
    code: raw.code,
    decline_code: raw.decline_code,
    param: raw.param,
    doc_url: raw.doc_url,
  });
  return error;
}

/** `@sendgrid/helpers` ResponseError: `code` is the HTTP status, `message` the status text. */
class ResponseError extends Error {
  readonly code: number;
  readonly response: { headers: Record<string, string>; body: unknown };
  constructor(code: number, message: string, headers: Record<string, string>, body: unknown) {
    super(message);
    this.name = 'ResponseError';
    this.code = code;
    this.response = { headers, body };
  }
}

function systemError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

describe('classifyError: Stripe', () => {
  it('classifies a StripeRateLimitError as a retryable rate-limit with its Retry-After and request id', () => {
    const original = stripeError('StripeRateLimitError', {
      message: 'Too many requests. You can only make 100 requests per second.',
      type: 'invalid_request_error',
      statusCode: 429,
      headers: { 'retry-after': '2', 'request-id': 'req_123' },
      requestId: 'req_123',
    });
    const error = classifyError(original, { service: 'stripe', now: NOW });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'RateLimitError',
      kind: 'rate-limit',
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req_123',
      outcome: 'failed',
      service: 'stripe',
      message: 'stripe: Too many requests. You can only make 100 requests per second.',
    });
    expect(error.cause).toBe(original);
  });

  it('reads the request id from the request-id header when the error has none', () => {
    const original = stripeError('StripeAPIError', {
      message: 'x',
      statusCode: 500,
      headers: { 'Request-Id': 'req_456' },
    });
    expect(classifyError(original).requestId).toBe('req_456');
  });

  it('classifies a card decline (402 card_declined) as an invalid request that is not retried', () => {
    const original = stripeError('StripeCardError', {
      message: 'Your card was declined.',
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      statusCode: 402,
      headers: { 'request-id': 'req_card' },
    });
    const error = classifyError(original, { service: 'stripe', now: NOW });
    expect(error).toMatchObject({
      kind: 'invalid-request',
      retryable: false,
      status: 402,
      code: 'card_declined',
      outcome: 'failed',
      requestId: 'req_card',
    });
    expect(RateLimitError.isInstance(error)).toBe(false);
    expect(AuthError.isInstance(error)).toBe(false);
  });

  it('classifies a 409 idempotency_key_in_use (sent as StripeAPIError) as a retryable conflict', () => {
    const original = stripeError('StripeAPIError', {
      message: 'There is currently another in-progress request using this Idempotent Key.',
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      statusCode: 409,
    });
    expect(classifyError(original, { now: NOW })).toMatchObject({
      kind: 'conflict',
      retryable: true,
      code: 'idempotency_key_in_use',
      status: 409,
      outcome: 'failed',
    });
  });

  it('classifies a 409 without a code as a conflict that is not retried', () => {
    const original = stripeError('StripeAPIError', { message: 'conflict', statusCode: 409 });
    expect(classifyError(original)).toMatchObject({ kind: 'conflict', retryable: false });
  });

  it('classifies a 400 with code rate_limit as a rate-limit, as Stripe itself does', () => {
    const original = stripeError('StripeRateLimitError', {
      message: 'Too many requests',
      type: 'invalid_request_error',
      code: 'rate_limit',
      statusCode: 400,
    });
    const error = classifyError(original, { now: NOW });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, status: 400, code: 'rate_limit' });
  });

  it('classifies a StripeIdempotencyError (rawType idempotency_error, no code) as a conflict', () => {
    const original = stripeError('StripeIdempotencyError', {
      message:
        'Keys for idempotent requests can only be used with the same parameters they were first used with.',
      type: 'idempotency_error',
      statusCode: 400,
    });
    expect(classifyError(original)).toMatchObject({ kind: 'conflict', retryable: false, status: 400 });
  });

  it.each([
    ['StripeAuthenticationError', 401, 'auth'],
    ['StripePermissionError', 403, 'permission'],
  ] as const)('classifies a %s (%i) as an AuthError of kind %s', (type, statusCode, kind) => {
    const error = classifyError(stripeError(type, { message: 'no', statusCode }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind, retryable: false, outcome: 'failed' });
  });

  it.each([
    [500, 'server', 'unknown', true],
    [502, 'unavailable', 'unknown', true],
    [503, 'unavailable', 'failed', true],
    [404, 'not-found', 'failed', false],
  ] as const)(
    'classifies a StripeAPIError %i as %s with outcome %s',
    (statusCode, kind, outcome, retryable) => {
      expect(classifyError(stripeError('StripeAPIError', { message: 'x', statusCode }))).toMatchObject({
        kind,
        outcome,
        retryable,
      });
    },
  );

  it('classifies a StripeConnectionError whose detail.code is ECONNRESET as a network failure', () => {
    const original = stripeError('StripeConnectionError', {
      message: 'An error occurred with our connection to Stripe. Request was retried 1 times.',
      detail: systemError('ECONNRESET', 'socket hang up'),
    });
    const error = classifyError(original, { service: 'stripe' });
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true, status: undefined });
    expect(error.cause).toBe(original);
  });

  it('classifies a StripeConnectionError whose detail.code is ECONNREFUSED as a network failure that was not sent', () => {
    const original = stripeError('StripeConnectionError', {
      message: 'An error occurred with our connection to Stripe.',
      detail: systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:12111'),
    });
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'not-sent' });
  });

  it("classifies Stripe's own request timeout (detail.code ETIMEDOUT) as a timeout", () => {
    const detail = Object.assign(new TypeError('ETIMEDOUT'), { code: 'ETIMEDOUT' });
    const original = stripeError('StripeConnectionError', {
      message: 'Request aborted due to timeout being reached (80000ms)',
      detail,
    });
    expect(classifyError(original)).toMatchObject({ kind: 'timeout', outcome: 'unknown', retryable: true });
  });

  it("classifies a StripeConnectionError from Stripe's fetch client (detail.cause.code UND_ERR_SOCKET)", () => {
    const detail = new TypeError('fetch failed', {
      cause: systemError('UND_ERR_SOCKET', 'other side closed'),
    });
    const original = stripeError('StripeConnectionError', {
      message: 'An error occurred with our connection to Stripe.',
      detail,
    });
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'unknown' });
  });

  it('classifies a StripeConnectionError with no code anywhere as a network failure with an unknown outcome', () => {
    const original = stripeError('StripeConnectionError', {
      message: 'An error occurred with our connection to Stripe.',
    });
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true });
  });
});

describe('classifyError: Resend', () => {
  it('classifies a rate_limit_exceeded error object as a retryable rate-limit', () => {
    const original = {
      name: 'rate_limit_exceeded',
      statusCode: 429,
      message: 'Too many requests. You can only make 2 requests per second.',
    };
    const error = classifyError(original, { service: 'resend', now: NOW });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      kind: 'rate-limit',
      retryable: true,
      status: 429,
      code: 'rate_limit_exceeded',
      outcome: 'failed',
      message: 'resend: Too many requests. You can only make 2 requests per second.',
    });
  });

  it.each(['daily_quota_exceeded', 'monthly_quota_exceeded'])(
    'classifies %s as quota-exceeded, which is not retried',
    (name) => {
      const error = classifyError({ name, statusCode: 429, message: 'You have reached your quota.' });
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ kind: 'quota-exceeded', retryable: false, code: name, status: 429 });
    },
  );

  it.each([
    ['missing_api_key', 401, 'auth'],
    ['invalid_api_key', 403, 'auth'],
    ['restricted_api_key', 401, 'permission'],
  ] as const)('classifies %s (%i) as an AuthError of kind %s', (name, statusCode, kind) => {
    const error = classifyError({ name, statusCode, message: 'API key problem' });
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind, code: name, retryable: false });
  });

  it.each([
    ['concurrent_idempotent_requests', true],
    ['invalid_idempotent_request', false],
  ])('classifies a 409 %s as a conflict, retryable: %s', (name, retryable) => {
    expect(classifyError({ name, statusCode: 409, message: 'x' })).toMatchObject({
      kind: 'conflict',
      retryable,
      code: name,
    });
  });

  it('keeps the name of any other Resend error as its code', () => {
    expect(
      classifyError({ name: 'validation_error', statusCode: 422, message: 'Invalid `to` field.' }),
    ).toMatchObject({
      kind: 'invalid-request',
      code: 'validation_error',
      retryable: false,
    });
  });

  it('reads the Retry-After of the headers Resend returns next to the error', () => {
    const result = {
      error: { name: 'rate_limit_exceeded', statusCode: 429, message: 'Too many requests' },
      headers: {
        'retry-after': '1',
        'ratelimit-limit': '2',
        'ratelimit-remaining': '0',
        'ratelimit-reset': '1',
      },
    };
    expect(classifyError({ ...result.error, headers: result.headers }, { now: NOW }).retryAfterMs).toBe(1000);
  });

  it('classifies the application_error with statusCode null (network, timeout or bad body) as unknown, not retried', () => {
    const error = classifyError({
      name: 'application_error',
      statusCode: null,
      message: 'Unable to fetch data. The request could not be resolved.',
    });
    expect(error).toMatchObject({ kind: 'unknown', retryable: false, outcome: 'unknown', status: undefined });
  });
});

describe('classifyError: SendGrid', () => {
  it('classifies a ResponseError with numeric code 429 and reads x-ratelimit-reset in epoch seconds', () => {
    const original = new ResponseError(
      429,
      'Too Many Requests',
      {
        'x-ratelimit-limit': '600',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW_SECONDS + 17),
      },
      { errors: [{ field: null, message: 'too many requests' }] },
    );
    const error = classifyError(original, { service: 'sendgrid', now: NOW });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      kind: 'rate-limit',
      status: 429,
      retryAfterMs: 17_000,
      code: undefined,
      outcome: 'failed',
      message: 'sendgrid: Too Many Requests',
    });
    expect(error.cause).toBe(original);
    expect(error.cause).toBeInstanceOf(ResponseError);
  });

  it('does not make a 500 wait for the rate-limit window that SendGrid reports on every response', () => {
    const original = new ResponseError(
      500,
      'Internal Server Error',
      {
        'x-ratelimit-limit': '600',
        'x-ratelimit-remaining': '599',
        'x-ratelimit-reset': String(NOW_SECONDS + 60),
      },
      '',
    );
    expect(classifyError(original, { now: NOW })).toMatchObject({ kind: 'server', retryAfterMs: undefined });
  });

  it('reads the x-message-id header as the request id', () => {
    const original = new ResponseError(400, 'Bad Request', { 'x-message-id': 'msg-1' }, { errors: [] });
    expect(classifyError(original)).toMatchObject({ kind: 'invalid-request', requestId: 'msg-1' });
  });

  it('classifies an axios network error (ECONNRESET) as a network failure with an unknown outcome', () => {
    const original = Object.assign(new Error('socket hang up'), {
      name: 'AxiosError',
      code: 'ECONNRESET',
      isAxiosError: true,
      config: { method: 'post', url: '/v3/mail/send', headers: { Authorization: 'Bearer SG.xxxxxx.yyyyyy' } },
      request: { _header: 'POST /v3/mail/send HTTP/1.1\r\nAuthorization: Bearer SG.xxxxxx.yyyyyy\r\n\r\n' },
    });
    const error = classifyError(original, { service: 'sendgrid' });
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true, status: undefined });
    expect(error.cause).toBe(original);
    expect(original.config.headers.Authorization).toBe('[redacted]');
    expect(original.request._header).toBe('POST /v3/mail/send HTTP/1.1\r\nAuthorization: [redacted]\r\n\r\n');
  });

  it.each([
    ['ECONNREFUSED', 'network', 'not-sent'],
    ['ENOTFOUND', 'network', 'not-sent'],
    ['ECONNABORTED', 'timeout', 'unknown'],
  ])('classifies an axios error with code %s as %s (%s)', (code, kind, outcome) => {
    const original = Object.assign(new Error('x'), { name: 'AxiosError', code, isAxiosError: true });
    expect(classifyError(original)).toMatchObject({ kind, outcome });
  });

  it('classifies an axios cancellation (ERR_CANCELED) as a CancelledError', () => {
    const original = Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' });
    expect(classifyError(original)).toBeInstanceOf(CancelledError);
  });

  it('classifies an axios error with a response by its response status and headers', () => {
    const original = Object.assign(new Error('Request failed with status code 503'), {
      name: 'AxiosError',
      code: 'ERR_BAD_RESPONSE',
      isAxiosError: true,
      response: { status: 503, headers: { 'retry-after': '9' }, data: '' },
    });
    expect(classifyError(original, { now: NOW })).toMatchObject({
      kind: 'unavailable',
      status: 503,
      retryAfterMs: 9000,
      code: undefined,
    });
  });
});

describe('classifyError: fetch, aborts and anything else', () => {
  it("classifies fetch's TypeError('fetch failed') by the undici code in its cause", () => {
    const original = new TypeError('fetch failed', {
      cause: systemError('UND_ERR_SOCKET', 'other side closed'),
    });
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true });
  });

  it("classifies fetch's ECONNREFUSED, wrapped in an AggregateError in its cause, as not sent", () => {
    const aggregate = new AggregateError(
      [systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:80')],
      'connect failed',
    );
    const original = new TypeError('fetch failed', { cause: aggregate });
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'not-sent' });
  });

  it('classifies a real fetch to a closed port (ECONNREFUSED in its cause) as a network failure not sent', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const original = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) }).catch(
      (error: unknown) => error,
    );
    expect(original).toBeInstanceOf(TypeError);
    expect(classifyError(original)).toMatchObject({ kind: 'network', outcome: 'not-sent', retryable: true });
  });

  it('classifies a DOMException AbortError as a CancelledError that keeps it as reason', () => {
    const original = new DOMException('This operation was aborted', 'AbortError');
    const error = classifyError(original, { service: 'resend' });
    expect(error).toBeInstanceOf(CancelledError);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false, service: 'resend' });
    expect((error as CancelledError).reason).toBe(original);
    expect(error.cause).toBe(original);
  });

  it('classifies the rejection of a real aborted fetch as cancelled', async () => {
    const original = await fetch('http://127.0.0.1:1/', { signal: AbortSignal.abort() }).catch(
      (error: unknown) => error,
    );
    expect(classifyError(original).kind).toBe('cancelled');
  });

  it("classifies AbortSignal.timeout's TimeoutError as a retryable timeout, not a cancellation", async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = classifyError(signal.reason);
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, outcome: 'unknown' });
    expect(CancelledError.isInstance(error)).toBe(false);
  });

  it('classifies a plain TypeError as unknown and not retryable, keeping its message', () => {
    const original = new TypeError("Cannot read properties of undefined (reading 'id')");
    const error = classifyError(original, { service: 'stripe' });
    expect(error).toMatchObject({
      name: 'ResilientError',
      kind: 'unknown',
      retryable: false,
      outcome: 'unknown',
      message: "stripe: Cannot read properties of undefined (reading 'id')",
    });
    expect(error.cause).toBe(original);
  });

  it('classifies a thrown string as unknown with the string as its message', () => {
    expect(classifyError('boom', { service: 'x' })).toMatchObject({
      kind: 'unknown',
      retryable: false,
      message: 'x: boom',
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an empty object', {}],
    ['an empty string', ''],
  ])('classifies %s thrown as unknown with a generic message', (_label, value) => {
    const error = classifyError(value);
    expect(error).toMatchObject({
      kind: 'unknown',
      retryable: false,
      outcome: 'unknown',
      message: 'call failed',
    });
  });

  it.each([
    ['status 200', { status: 200, message: 'ok' }],
    ['status as a string', { status: '500', message: 'x' }],
    ['statusCode 600', { statusCode: 600 }],
    ['a fractional status', { status: 500.5 }],
  ])('ignores %s, which is no error status', (_label, value) => {
    expect(classifyError(value).kind).toBe('unknown');
  });

  it('reads status before statusCode before response.status before a numeric code', () => {
    expect(classifyError({ status: 404, statusCode: 500, response: { status: 503 }, code: 429 }).status).toBe(
      404,
    );
    expect(classifyError({ statusCode: 500, response: { status: 503 }, code: 429 }).status).toBe(500);
    expect(classifyError({ response: { status: 503 }, code: 429 }).status).toBe(503);
  });

  it('never throws, whatever is thrown, and always gives a ResilientError with a known kind', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
        }),
        (value) => {
          const error = classifyError(value, { now: NOW });
          expect(ResilientError.isInstance(error)).toBe(true);
          expect(isErrorKind(error.kind)).toBe(true);
          expect(typeof error.message).toBe('string');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws for objects whose getters or proxy traps throw', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const getters = Object.defineProperties(new Error('x'), {
      status: {
        get() {
          throw new Error('getter');
        },
      },
      code: {
        get() {
          throw new Error('getter');
        },
      },
      headers: {
        get() {
          throw new Error('getter');
        },
      },
    });
    for (const value of [
      throwing,
      revoked,
      getters,
      { statusCode: 429, headers: throwing },
      { cause: throwing },
    ]) {
      expect(() => classifyError(value)).not.toThrow();
    }
  });
});

describe('classifyError: errors that already are ResilientErrors', () => {
  it('returns a ResilientError as it is and stamps the service when it has none', () => {
    const original = new TimeoutError({ scope: 'attempt', timeoutMs: 100 });
    const error = classifyError(original, { service: 'stripe' });
    expect(error).toBe(original);
    expect(error.service).toBe('stripe');
  });

  it('keeps the service a ResilientError already has', () => {
    const original = new CircuitOpenError({ service: 'resend', retryAfterMs: 10 });
    expect(classifyError(original, { service: 'stripe' }).service).toBe('resend');
  });

  it('returns one from another copy of the package as it is', () => {
    const foreign = Object.assign(new Error('other copy'), {
      [Symbol.for('resilient.error')]: true,
      kind: 'server',
      service: undefined,
    });
    const error = classifyError(foreign, { service: 'sendgrid' });
    expect(error).toBe(foreign);
    expect(error.service).toBe('sendgrid');
  });

  it('returns a frozen one from another copy as it is instead of throwing', () => {
    const foreign = Object.freeze(
      Object.assign(new Error('other copy'), {
        [Symbol.for('resilient.error')]: true,
        kind: 'server',
        service: undefined,
      }),
    );
    expect(classifyError(foreign, { service: 'sendgrid' })).toBe(foreign);
  });
});
