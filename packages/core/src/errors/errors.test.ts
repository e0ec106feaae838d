import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error';
import { CancelledError } from './cancelled-error';
import { CircuitOpenError } from './circuit-open-error';
import { ERROR_KINDS, type ErrorKind, isErrorKind, KIND_INFO } from './error-kind';
import { RateLimitError } from './rate-limit-error';
import { RejectedError } from './rejected-error';
import { ResilientError } from './resilient-error';
import { TimeoutError } from './timeout-error';

/** The documented defaults, written out by hand so a change to KIND_INFO has to change this too. */
const EXPECTED_KIND_INFO: Record<ErrorKind, { retryable: boolean; providerFailure: boolean }> = {
  'rate-limit': { retryable: true, providerFailure: false },
  'quota-exceeded': { retryable: false, providerFailure: false },
  auth: { retryable: false, providerFailure: false },
  permission: { retryable: false, providerFailure: false },
  'invalid-request': { retryable: false, providerFailure: false },
  'not-found': { retryable: false, providerFailure: false },
  conflict: { retryable: false, providerFailure: false },
  server: { retryable: true, providerFailure: true },
  unavailable: { retryable: true, providerFailure: true },
  network: { retryable: true, providerFailure: true },
  timeout: { retryable: true, providerFailure: true },
  cancelled: { retryable: false, providerFailure: false },
  'circuit-open': { retryable: false, providerFailure: false },
  'bulkhead-rejected': { retryable: false, providerFailure: false },
  'rate-limiter-rejected': { retryable: false, providerFailure: false },
  unknown: { retryable: false, providerFailure: false },
};
const ALL_KINDS = Object.keys(EXPECTED_KIND_INFO) as ErrorKind[];

describe('KIND_INFO and ERROR_KINDS', () => {
  it.each(ALL_KINDS)('gives %s its documented retryable and providerFailure defaults', (kind) => {
    expect(KIND_INFO[kind]).toEqual(EXPECTED_KIND_INFO[kind]);
  });

  it('lists exactly the sixteen kinds, in table order', () => {
    expect([...ERROR_KINDS]).toEqual(ALL_KINDS);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(KIND_INFO)).toBe(true);
    expect(Object.isFrozen(ERROR_KINDS)).toBe(true);
    expect(() => {
      (KIND_INFO as Record<string, unknown>).auth = { retryable: true, providerFailure: true };
    }).toThrow(TypeError);
  });

  it.each(ALL_KINDS)('recognises %s as a kind', (kind) => {
    expect(isErrorKind(kind)).toBe(true);
  });

  it.each([
    'Rate-Limit',
    'ratelimit',
    '',
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    42,
    null,
    undefined,
    {},
    ['auth'],
  ])('rejects %j as a kind', (value) => {
    expect(isErrorKind(value)).toBe(false);
  });
});

describe('ResilientError', () => {
  it.each(ALL_KINDS)('defaults retryable of a %s error to the kind default', (kind) => {
    const error = new ResilientError({ kind });
    expect(error.retryable).toBe(EXPECTED_KIND_INFO[kind].retryable);
  });

  it.each([true, false])('lets the classifier override retryable with %s', (retryable) => {
    expect(new ResilientError({ kind: 'conflict', retryable }).retryable).toBe(retryable);
    expect(new ResilientError({ kind: 'server', retryable }).retryable).toBe(retryable);
  });

  it('treats a kind outside the table (from JavaScript) as not retryable instead of throwing', () => {
    const error = new ResilientError({ kind: 'bogus' as ErrorKind });
    expect(error.retryable).toBe(false);
  });

  it("defaults the outcome to 'unknown' and keeps a given one", () => {
    expect(new ResilientError({ kind: 'server' }).outcome).toBe('unknown');
    expect(new ResilientError({ kind: 'server', outcome: 'failed' }).outcome).toBe('failed');
    expect(new ResilientError({ kind: 'network', outcome: 'not-sent' }).outcome).toBe('not-sent');
  });

  it('builds a default message from kind, service and status', () => {
    expect(new ResilientError({ kind: 'server' }).message).toBe('server error');
    expect(new ResilientError({ kind: 'server', service: 'stripe' }).message).toBe(
      'server error from stripe',
    );
    expect(new ResilientError({ kind: 'unavailable', service: 'resend', status: 503 }).message).toBe(
      'unavailable error from resend (HTTP 503)',
    );
    expect(new ResilientError({ kind: 'server', message: '' }).message).toBe('');
  });

  it('is an Error named ResilientError with every field set from the options', () => {
    const cause = new Error('original');
    const error = new ResilientError({
      kind: 'rate-limit',
      message: 'slow down',
      service: 'stripe',
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req_123',
      outcome: 'failed',
      code: 'rate_limit',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ResilientError');
    expect(String(error)).toBe('ResilientError: slow down');
    expect(error).toMatchObject({
      kind: 'rate-limit',
      retryable: true,
      service: 'stripe',
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req_123',
      outcome: 'failed',
      code: 'rate_limit',
      attempts: undefined,
    });
    expect(error.cause).toBe(cause);
  });

  it('has no cause property at all when none is given', () => {
    expect(Object.hasOwn(new ResilientError({ kind: 'unknown' }), 'cause')).toBe(false);
  });

  it('serializes the log fields with toJSON and leaves the cause out', () => {
    const error = new ResilientError({
      kind: 'server',
      message: 'boom',
      service: 'sendgrid',
      status: 500,
      requestId: 'abc',
      code: 'internal',
      cause: new Error('secret internals'),
    });
    error.attempts = 3;
    expect(error.toJSON()).toEqual({
      name: 'ResilientError',
      message: 'boom',
      kind: 'server',
      retryable: true,
      service: 'sendgrid',
      status: 500,
      retryAfterMs: undefined,
      requestId: 'abc',
      outcome: 'unknown',
      code: 'internal',
      attempts: 3,
    });
    const json = JSON.stringify(error);
    expect(JSON.parse(json)).toEqual({
      name: 'ResilientError',
      message: 'boom',
      kind: 'server',
      retryable: true,
      service: 'sendgrid',
      status: 500,
      requestId: 'abc',
      outcome: 'unknown',
      code: 'internal',
      attempts: 3,
    });
    expect(json).not.toContain('secret internals');
  });
});

describe('subclasses', () => {
  it('AuthError defaults to kind auth, outcome failed, not retryable', () => {
    const error = new AuthError({ message: 'bad key', status: 401 });
    expect(error).toMatchObject({
      name: 'AuthError',
      kind: 'auth',
      outcome: 'failed',
      retryable: false,
      status: 401,
    });
    expect(error).toBeInstanceOf(ResilientError);
  });

  it('AuthError can carry kind permission', () => {
    expect(new AuthError({ kind: 'permission' })).toMatchObject({ kind: 'permission', retryable: false });
  });

  it('RateLimitError defaults to kind rate-limit, outcome failed, retryable, and keeps retryAfterMs', () => {
    const error = new RateLimitError({ retryAfterMs: 1500 });
    expect(error).toMatchObject({
      name: 'RateLimitError',
      kind: 'rate-limit',
      outcome: 'failed',
      retryable: true,
      retryAfterMs: 1500,
    });
  });

  it('RateLimitError with kind quota-exceeded is not retryable', () => {
    expect(new RateLimitError({ kind: 'quota-exceeded' })).toMatchObject({
      kind: 'quota-exceeded',
      retryable: false,
    });
  });

  it('an attempt TimeoutError is retryable, has outcome unknown and says which timeout fired', () => {
    const error = new TimeoutError({ scope: 'attempt', timeoutMs: 500, service: 'stripe' });
    expect(error).toMatchObject({
      name: 'TimeoutError',
      kind: 'timeout',
      scope: 'attempt',
      timeoutMs: 500,
      retryable: true,
      outcome: 'unknown',
      wouldWaitMs: undefined,
    });
    expect(error.message).toBe('Attempt timeout of 500 ms reached calling stripe');
  });

  it('a total TimeoutError is not retryable', () => {
    const error = new TimeoutError({ scope: 'total', timeoutMs: 2000 });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Total timeout of 2000 ms reached');
  });

  it('a TimeoutError refused because a retry would pass the deadline names the delay and keeps the cause', () => {
    const cause = new Error('last attempt');
    const error = new TimeoutError({ scope: 'total', timeoutMs: 2000, wouldWaitMs: 750, cause });
    expect(error.message).toBe('A retry in 750 ms would pass the total timeout of 2000 ms');
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toMatchObject({
      kind: 'timeout',
      scope: 'total',
      timeoutMs: 2000,
      wouldWaitMs: 750,
    });
  });

  it('CircuitOpenError was not sent, is not retryable and says when the next probe goes', () => {
    const error = new CircuitOpenError({ service: 'resend', retryAfterMs: 5000 });
    expect(error).toMatchObject({
      name: 'CircuitOpenError',
      kind: 'circuit-open',
      outcome: 'not-sent',
      retryable: false,
      retryAfterMs: 5000,
      isolated: false,
    });
    expect(error.message).toBe('Circuit for resend is open; next probe in 5000 ms');
    expect(error.toJSON()).toMatchObject({ kind: 'circuit-open', isolated: false, retryAfterMs: 5000 });
  });

  it('an isolated CircuitOpenError says so', () => {
    const error = new CircuitOpenError({ retryAfterMs: 0, isolated: true });
    expect(error.isolated).toBe(true);
    expect(error.message).toBe('Circuit is isolated');
    expect(error.toJSON()).toMatchObject({ isolated: true });
  });

  it.each([
    ['bulkhead', 'bulkhead-rejected'],
    ['rate-limiter', 'rate-limiter-rejected'],
  ] as const)('RejectedError by the %s has kind %s and was not sent', (rejectedBy, kind) => {
    const error = new RejectedError({ rejectedBy, message: 'full', retryAfterMs: 10 });
    expect(error).toMatchObject({
      name: 'RejectedError',
      kind,
      rejectedBy,
      outcome: 'not-sent',
      retryable: false,
      retryAfterMs: 10,
      message: 'full',
    });
    expect(error.toJSON()).toMatchObject({ kind, rejectedBy });
  });

  it('CancelledError keeps the reason untouched as reason and cause and is not retryable', () => {
    const reason = new DOMException('This operation was aborted', 'AbortError');
    const error = new CancelledError({ reason, service: 'stripe' });
    expect(error).toMatchObject({
      name: 'CancelledError',
      kind: 'cancelled',
      retryable: false,
      outcome: 'unknown',
    });
    expect(error.reason).toBe(reason);
    expect(error.cause).toBe(reason);
    expect(error.message).toBe('Cancelled by the caller: This operation was aborted');
  });

  it.each([
    ['a string reason', 'user left', 'Cancelled by the caller: user left'],
    ['an empty string', '', 'Cancelled by the caller'],
    ['undefined', undefined, 'Cancelled by the caller'],
    ['a number', 42, 'Cancelled by the caller'],
  ])('CancelledError describes %s', (_label, reason, message) => {
    expect(new CancelledError({ reason }).message).toBe(message);
  });

  it("CancelledError keeps the outcome 'not-sent' when nothing was sent", () => {
    expect(new CancelledError({ reason: undefined, outcome: 'not-sent' }).outcome).toBe('not-sent');
  });

  it('CancelledError keeps credentials in the reason out of its message', () => {
    const error = new CancelledError({ reason: new Error('aborted with Bearer abcdefCANARYtoken in hand') });
    expect(error.message).not.toContain('CANARY');
    expect(error.message).toContain('[redacted]');
  });
});

const SUBCLASSES = {
  AuthError: { isInstance: AuthError.isInstance, make: () => new AuthError({}) },
  RateLimitError: { isInstance: RateLimitError.isInstance, make: () => new RateLimitError({}) },
  TimeoutError: {
    isInstance: TimeoutError.isInstance,
    make: () => new TimeoutError({ scope: 'attempt', timeoutMs: 1 }),
  },
  CircuitOpenError: {
    isInstance: CircuitOpenError.isInstance,
    make: () => new CircuitOpenError({ retryAfterMs: 1 }),
  },
  RejectedError: {
    isInstance: RejectedError.isInstance,
    make: () => new RejectedError({ rejectedBy: 'bulkhead', message: 'full' }),
  },
  CancelledError: { isInstance: CancelledError.isInstance, make: () => new CancelledError({ reason: 'x' }) },
} as const;
type SubclassName = keyof typeof SUBCLASSES;
const SUBCLASS_NAMES = Object.keys(SUBCLASSES) as SubclassName[];

const MARKERS: Record<SubclassName, string> = {
  AuthError: 'resilient.error.auth',
  RateLimitError: 'resilient.error.rate-limit',
  TimeoutError: 'resilient.error.timeout',
  CircuitOpenError: 'resilient.error.circuit-open',
  RejectedError: 'resilient.error.rejected',
  CancelledError: 'resilient.error.cancelled',
};

/** What a second copy of the package would build: a different class that sets the same registered symbols. */
function foreignCopy(name: SubclassName | 'ResilientError'): Error {
  class ForeignError extends Error {
    readonly kind: ErrorKind = 'server';
    readonly retryable = true;
    service: string | undefined = undefined;
    constructor() {
      super('from the other copy');
      this.name = name;
      (this as unknown as Record<symbol, boolean>)[Symbol.for('resilient.error')] = true;
      if (name !== 'ResilientError')
        (this as unknown as Record<symbol, boolean>)[Symbol.for(MARKERS[name])] = true;
    }
  }
  return new ForeignError();
}

describe('isInstance', () => {
  it.each(SUBCLASS_NAMES)('ResilientError.isInstance accepts a %s', (name) => {
    expect(ResilientError.isInstance(SUBCLASSES[name].make())).toBe(true);
  });

  it('ResilientError.isInstance accepts an error built by another copy of the package', () => {
    const foreign = foreignCopy('ResilientError');
    expect(foreign).not.toBeInstanceOf(ResilientError);
    expect(ResilientError.isInstance(foreign)).toBe(true);
  });

  it.each(SUBCLASS_NAMES)('%s.isInstance accepts an error built by another copy of the package', (name) => {
    const foreign = foreignCopy(name);
    expect(SUBCLASSES[name].isInstance(foreign)).toBe(true);
    expect(ResilientError.isInstance(foreign)).toBe(true);
  });

  const pairs = SUBCLASS_NAMES.flatMap((checker) => SUBCLASS_NAMES.map((made) => [checker, made] as const));
  it.each(pairs)('%s.isInstance answers for a %s by its own marker only', (checker, made) => {
    expect(SUBCLASSES[checker].isInstance(SUBCLASSES[made].make())).toBe(checker === made);
    expect(SUBCLASSES[checker].isInstance(foreignCopy(made))).toBe(checker === made);
  });

  it.each(SUBCLASS_NAMES)('%s.isInstance rejects a plain ResilientError', (name) => {
    expect(SUBCLASSES[name].isInstance(new ResilientError({ kind: 'server' }))).toBe(false);
  });

  const NEGATIVES: [string, unknown][] = [
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    ['a DOMException', new DOMException('x', 'TimeoutError')],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'resilient.error'],
    ['a number', 42],
    ['a symbol', Symbol.for('resilient.error')],
    [
      'an object with the marker as a string key',
      { 'resilient.error': true, 'resilient.error.timeout': true },
    ],
    ['an object with an unregistered symbol of the same name', { [Symbol('resilient.error')]: true }],
    [
      'a function carrying the marker',
      Object.assign(() => undefined, { [Symbol.for('resilient.error')]: true }),
    ],
    [
      'an error shaped like a TimeoutError',
      Object.assign(new Error('x'), { name: 'TimeoutError', kind: 'timeout' }),
    ],
  ];
  it.each(NEGATIVES)('ResilientError.isInstance rejects %s', (_label, value) => {
    expect(ResilientError.isInstance(value)).toBe(false);
  });

  it.each(NEGATIVES.flatMap(([label, value]) => SUBCLASS_NAMES.map((name) => [name, label, value] as const)))(
    '%s.isInstance rejects %s',
    (name, _label, value) => {
      expect(SUBCLASSES[name].isInstance(value)).toBe(false);
    },
  );

  it('answers false instead of throwing for a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(ResilientError.isInstance(proxy)).toBe(false);
    expect(TimeoutError.isInstance(proxy)).toBe(false);
  });
});
