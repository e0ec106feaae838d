import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrorKind } from '../errors/error-kind';
import { kindFromStatus, outcomeFromStatus } from './http-status';

describe('kindFromStatus', () => {
  it.each([
    [401, 'auth'],
    [403, 'permission'],
    [404, 'not-found'],
    [410, 'not-found'],
    [408, 'timeout'],
    [409, 'conflict'],
    [423, 'conflict'],
    [429, 'rate-limit'],
    [501, 'invalid-request'],
    [505, 'invalid-request'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [529, 'unavailable'],
  ])('maps the named status %i to %s', (status, kind) => {
    expect(kindFromStatus(status)).toBe(kind);
  });

  it.each([
    [400, 'invalid-request'],
    [402, 'invalid-request'],
    [405, 'invalid-request'],
    [413, 'invalid-request'],
    [418, 'invalid-request'],
    [422, 'invalid-request'],
    [451, 'invalid-request'],
    [499, 'invalid-request'],
    [500, 'server'],
    [506, 'server'],
    [507, 'server'],
    [520, 'server'],
    [599, 'server'],
  ])('maps %i, which the table does not name, by its range to %s', (status, kind) => {
    expect(kindFromStatus(status)).toBe(kind);
  });

  it.each([
    0,
    100,
    200,
    204,
    302,
    304,
    399,
    600,
    999,
    -1,
    -429,
    429.5,
    4.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
  ])('maps %s, which is no error status, to unknown', (status) => {
    expect(kindFromStatus(status)).toBe('unknown');
  });

  it('maps every status from 400 to 599 to a kind other than unknown, and anything else to unknown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 400, max: 599 }), fc.double()), (status) => {
        const kind = kindFromStatus(status);
        expect(isErrorKind(kind)).toBe(true);
        const isErrorStatus = Number.isInteger(status) && status >= 400 && status <= 599;
        expect(kind === 'unknown').toBe(!isErrorStatus);
        if (isErrorStatus && status >= 500)
          expect(['server', 'unavailable', 'invalid-request']).toContain(kind);
      }),
    );
  });
});

describe('outcomeFromStatus', () => {
  it.each([500, 502, 504])('says a %i may have been applied (unknown)', (status) => {
    expect(outcomeFromStatus(status)).toBe('unknown');
  });

  it.each([400, 401, 402, 403, 404, 408, 409, 410, 418, 422, 423, 429, 499, 501, 503, 505, 507, 529, 599])(
    'says a %i was refused (failed)',
    (status) => {
      expect(outcomeFromStatus(status)).toBe('failed');
    },
  );

  it.each([200, 201, 302, 399, 600, -1, 0, 429.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'does not claim a refusal for %s, which is no error status (unknown)',
    (status) => {
      expect(outcomeFromStatus(status)).toBe('unknown');
    },
  );
});
