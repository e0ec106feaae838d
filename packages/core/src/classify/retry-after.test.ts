import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type HeadersLike, readHeader } from './read-header';
import {
  MAX_HEADER_DELAY_MS,
  parseRateLimitHeader,
  parseRateLimitReset,
  parseRetryAfter,
  retryAfterFromHeaders,
} from './retry-after';

/** 2026-10-21T07:28:00Z, a Wednesday. */
const NOW = Date.UTC(2026, 9, 21, 7, 28, 0);
const NOW_SECONDS = NOW / 1000;

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1', 1000],
    [' 7 ', 7000],
    ['007', 7000],
    ['1.5', 1500],
    ['0.25', 250],
    ['0.0001', 1],
    ['2147483', 2_147_483_000],
    ['2147484', MAX_HEADER_DELAY_MS],
    ['9'.repeat(400), MAX_HEADER_DELAY_MS],
  ])('reads the delta-seconds %j as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    [120, 120_000],
    [2.5, 2500],
    [0, 0],
    [-0, 0],
    [1e300, MAX_HEADER_DELAY_MS],
    [Number.MAX_VALUE, MAX_HEADER_DELAY_MS],
  ])('reads the number %s as seconds (%i ms)', (value, expected) => {
    const result = parseRetryAfter(value, NOW);
    expect(result).toBe(expected);
    expect(Object.is(result, -0)).toBe(false);
  });

  it.each([
    ['IMF-fixdate', 'Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['IMF-fixdate in lower case', 'wed, 21 oct 2026 07:29:00 gmt', 60_000],
    ['IMF-fixdate with a one-digit day', 'Sun, 1 Nov 2026 00:00:00 GMT', Date.UTC(2026, 10, 1) - NOW],
    ['RFC 850', 'Wednesday, 21-Oct-26 07:28:30 GMT', 30_000],
    ['asctime', 'Wed Oct 21 07:28:30 2026', 30_000],
    ['asctime with a padded day', 'Sun Nov  1 00:00:00 2026', Date.UTC(2026, 10, 1) - NOW],
  ])('reads a future HTTP-date in the %s form as the time until it', (_form, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('rounds the time until an HTTP-date up to whole milliseconds', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', NOW + 0.5)).toBe(30_000);
  });

  it.each([
    'Wed, 21 Oct 2026 07:27:00 GMT',
    'Wed, 21 Oct 2026 07:28:00 GMT',
    'Thu, 01 Jan 1970 00:00:00 GMT',
    'Tuesday, 20-Oct-26 07:28:00 GMT',
  ])('reads the past or present HTTP-date %j as 0', (value) => {
    expect(parseRetryAfter(value, NOW)).toBe(0);
  });

  it('caps an HTTP-date decades away at MAX_HEADER_DELAY_MS', () => {
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_HEADER_DELAY_MS);
  });

  describe('in a time zone other than UTC', () => {
    const tz = process.env.TZ;
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });

    it('reads an asctime date (which names no zone) as GMT, not local time', () => {
      process.env.TZ = 'America/New_York';
      expect(new Date(NOW).getTimezoneOffset()).not.toBe(0);
      expect(parseRetryAfter('Wed Oct 21 07:28:30 2026', NOW)).toBe(30_000);
    });
  });

  it.each([
    '',
    '   ',
    'soon',
    'now',
    'abc 2024',
    'Sat 2',
    '12 dec',
    'soon 5',
    '-5',
    '+5',
    '-0',
    '1e3',
    '0x10',
    '1,5',
    '1.',
    '.5',
    '1.5.2',
    '120 s',
    'NaN',
    'Infinity',
    '2026-10-21T07:28:30Z',
    'Wed, 21 Oct 2026',
    'Wed, 21 Oct 2026 07:28:30 PST',
    'Wed, 32 Foo 2026 07:28:30 GMT',
  ])('rejects the garbage %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it.each([
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
    [undefined],
    [null],
    [true],
    [{}],
    [['120']],
    [new Date(NOW + 5000)],
    [120n],
  ])('rejects %s, which is neither a string nor a usable number', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('rejects an HTTP-date when the current time is not a finite number', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', Number.NaN)).toBeUndefined();
    expect(parseRetryAfter('30', Number.NaN)).toBe(30_000);
  });

  it('reads Date.now() when no current time is given', () => {
    const inOneMinute = new Date(Date.now() + 61_000).toUTCString();
    const delay = parseRetryAfter(inOneMinute)!;
    expect(delay).toBeGreaterThan(55_000);
    expect(delay).toBeLessThanOrEqual(61_000);
  });
});

describe('parseRateLimitReset', () => {
  it.each([
    ['epoch seconds, as SendGrid sends them', String(NOW_SECONDS + 60), 60_000],
    ['epoch seconds as a number', NOW_SECONDS + 60, 60_000],
    ['epoch seconds with a fraction', String(NOW_SECONDS + 0.5), 500],
    ['epoch seconds in the past', String(NOW_SECONDS - 60), 0],
    ['epoch seconds far ahead', String(NOW_SECONDS + 40 * 86_400), MAX_HEADER_DELAY_MS],
    ['epoch milliseconds', String(NOW + 1500), 1500],
    ['epoch milliseconds as a number', NOW + 1500, 1500],
    ['epoch milliseconds in the past', String(NOW - 1), 0],
    ['a small delta in seconds', '30', 30_000],
    ['a delta with a fraction', '1.5', 1500],
    ['a zero delta', '0', 0],
    ['a delta as a number', 30, 30_000],
    ['a tiny delta as a number', 1e-7, 1],
    ['a delta just under the epoch threshold', '999999999', MAX_HEADER_DELAY_MS],
    ['padded text', ' 30 ', 30_000],
  ])('reads %s', (_label, value, expected) => {
    expect(parseRateLimitReset(value, NOW)).toBe(expected);
  });

  it.each([
    ['-1'],
    [-1],
    ['soon'],
    [''],
    ['1e3'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [{}],
    ['Wed, 21 Oct 2026 07:28:30 GMT'],
  ])('rejects %j', (value) => {
    expect(parseRateLimitReset(value, NOW)).toBeUndefined();
  });

  it('rejects any value when the current time is not a finite number', () => {
    expect(parseRateLimitReset('30', Number.NaN)).toBeUndefined();
    expect(parseRateLimitReset(String(NOW_SECONDS + 60), Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('parseRateLimitHeader', () => {
  it.each([
    ['draft-07, exhausted', 'limit=100, remaining=0, reset=30', 30_000],
    ['draft-07, members in another order', 'reset=30, limit=100, remaining=0', 30_000],
    ['draft-07 with requests left', 'limit=100, remaining=50, reset=30', 30_000],
    ['draft-07 without spaces', 'limit=100,remaining=0,reset=5', 5000],
    ['draft-08', '"default";r=0;t=30', 30_000],
    ['draft-08 with a token name', 'default;r=0;t=30', 30_000],
    ['draft-08 in upper case', '"default";R=0;T=7', 7000],
    ['draft-08 with a fraction', '"default";r=0;t=1.5', 1500],
    ['draft-08 without remaining', '"default";t=5', 5000],
    ['several policies, one exhausted', '"default";r=0;t=30, "burst";r=5;t=1', 30_000],
    ['several policies, the short one exhausted', '"hour";r=10;t=3600, "second";r=0;t=1', 1000],
    ['several exhausted policies: the longest wins', '"a";r=0;t=10, "b";r=0;t=20', 20_000],
    ['several policies, none exhausted: the longest', '"a";r=3;t=10, "b";r=4;t=20', 20_000],
    ['a reset beyond the cap', '"month";r=0;t=3000000', MAX_HEADER_DELAY_MS],
  ])('reads %s', (_label, value, expected) => {
    expect(parseRateLimitHeader(value)).toBe(expected);
  });

  it.each([
    [''],
    ['garbage'],
    ['"default";r=0'],
    ['limit=100, remaining=0'],
    ['reset=-1'],
    ['reset=abc'],
    ['"default";r=0;t=1e3'],
    [`"default";r=0;t=30,${' '.repeat(5000)}`],
    [30],
    [null],
    [undefined],
    [{ reset: 30 }],
  ])('gives undefined for %j', (value) => {
    expect(parseRateLimitHeader(value)).toBeUndefined();
  });
});

class AxiosLikeHeaders {
  readonly #values = new Map<string, string>();
  constructor(values: Record<string, string>) {
    for (const [key, value] of Object.entries(values)) this.#values.set(key.toLowerCase(), value);
  }
  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }
}

describe('readHeader', () => {
  it.each([
    ['a fetch Headers', new Headers({ 'Retry-After': '3' })],
    ['a plain object with a mixed-case key', { 'Retry-After': '3' }],
    ['a plain object with an upper-case key', { 'RETRY-AFTER': '3' }],
    ['a plain object with an array value', { 'retry-after': ['3', '9'] }],
    ['a plain object with a number value', { 'retry-after': 3 }],
    ['an object with a get method only', new AxiosLikeHeaders({ 'Retry-After': '3' })],
    ['a Map', new Map([['retry-after', '3']])],
    ['a Map with a mixed-case key', new Map([['Retry-After', '3']])],
    ['a value with spaces around it', { 'retry-after': '  3 ' }],
  ])('reads a header from %s', (_label, headers) => {
    expect(readHeader(headers as HeadersLike, 'Retry-After')).toBe('3');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty value', { 'retry-after': '  ' }],
    ['a NaN value', { 'retry-after': Number.NaN }],
    ['an object value', { 'retry-after': { value: '3' } }],
    ['an inherited property', Object.create({ 'retry-after': '3' })],
    [
      'a get method that throws and no own value',
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ],
    ['a string', 'retry-after: 3'],
  ])('gives undefined for %s', (_label, headers) => {
    expect(readHeader(headers as HeadersLike, 'retry-after')).toBeUndefined();
  });

  it('never reads a prototype member as a header', () => {
    expect(readHeader({}, 'constructor')).toBeUndefined();
    expect(readHeader({}, 'toString')).toBeUndefined();
    expect(readHeader({}, '__proto__')).toBeUndefined();
  });

  it('gives undefined instead of throwing for a proxy whose traps throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(readHeader(hostile, 'retry-after')).toBeUndefined();
  });
});

describe('retryAfterFromHeaders', () => {
  it.each([
    ['a fetch Headers', new Headers({ 'Retry-After': '2' })],
    ['a plain object with mixed-case keys', { 'Retry-After': '2', 'Content-Type': 'application/json' }],
    ['an axios-like object with a get method', new AxiosLikeHeaders({ 'retry-after': '2' })],
    ['a Map', new Map([['retry-after', '2']])],
    ['a Map with a mixed-case key', new Map([['Retry-After', '2']])],
  ])('reads Retry-After from %s', (_label, headers) => {
    expect(retryAfterFromHeaders(headers as HeadersLike, NOW)).toBe(2000);
  });

  const ALL = {
    'retry-after-ms': '1500',
    'retry-after': '2',
    ratelimit: '"default";r=0;t=3',
    'ratelimit-reset': '4',
    'x-ratelimit-reset': String(NOW_SECONDS + 5),
  };
  const ORDER = Object.keys(ALL) as (keyof typeof ALL)[];
  const EXPECTED = [1500, 2000, 3000, 4000, 5000];
  it.each(ORDER.map((name, index) => [name, EXPECTED[index]!, ORDER.slice(index)] as const))(
    'reads %s first when it and every header after it in precedence are present (%i ms)',
    (_name, expected, present) => {
      const headers = Object.fromEntries(present.map((key) => [key, ALL[key]]));
      expect(retryAfterFromHeaders(headers, NOW)).toBe(expected);
      expect(retryAfterFromHeaders(new Headers(headers), NOW)).toBe(expected);
    },
  );

  it('reads retry-after-ms as milliseconds, with a fraction rounded up', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '0.5' }, NOW)).toBe(1);
  });

  it('reads an HTTP-date Retry-After against the given current time', () => {
    expect(retryAfterFromHeaders({ 'retry-after': 'Wed, 21 Oct 2026 07:28:10 GMT' }, NOW)).toBe(10_000);
  });

  it('falls through a header it cannot parse to the next one', () => {
    expect(
      retryAfterFromHeaders(
        { 'retry-after-ms': 'soon', 'retry-after': 'later', 'ratelimit-reset': '4' },
        NOW,
      ),
    ).toBe(4000);
  });

  it('reads a SendGrid x-ratelimit-reset in epoch seconds when nothing remains', () => {
    const headers = {
      'X-RateLimit-Limit': '600',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(NOW_SECONDS + 42),
    };
    expect(retryAfterFromHeaders(headers, NOW)).toBe(42_000);
  });

  it('ignores x-ratelimit-reset while x-ratelimit-remaining says requests are left', () => {
    const headers = {
      'x-ratelimit-limit': '600',
      'x-ratelimit-remaining': '599',
      'x-ratelimit-reset': String(NOW_SECONDS + 60),
    };
    expect(retryAfterFromHeaders(headers, NOW)).toBeUndefined();
  });

  it('reads a Resend draft-06 ratelimit-reset when nothing remains or remaining is not said', () => {
    expect(retryAfterFromHeaders({ 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }, NOW)).toBe(1000);
    expect(retryAfterFromHeaders({ 'ratelimit-reset': '1' }, NOW)).toBe(1000);
  });

  it('ignores ratelimit-reset while ratelimit-remaining says requests are left', () => {
    expect(
      retryAfterFromHeaders(
        { 'ratelimit-limit': '5', 'ratelimit-remaining': '4', 'ratelimit-reset': '1' },
        NOW,
      ),
    ).toBeUndefined();
  });

  it('ignores a structured RateLimit header whose policies all have requests left', () => {
    expect(retryAfterFromHeaders({ ratelimit: '"default";r=4;t=1' }, NOW)).toBeUndefined();
    expect(retryAfterFromHeaders({ ratelimit: 'limit=5, remaining=4, reset=1' }, NOW)).toBeUndefined();
    expect(retryAfterFromHeaders({ ratelimit: '"default";r=4;t=1', 'ratelimit-reset': '9' }, NOW)).toBe(9000);
  });

  it('still honours Retry-After when the rate-limit headers say requests are left', () => {
    expect(retryAfterFromHeaders({ 'retry-after': '3', 'x-ratelimit-remaining': '10' }, NOW)).toBe(3000);
  });

  it.each([
    ['no headers', {}],
    ['only unrelated headers', { 'content-type': 'text/html', 'x-request-id': 'abc' }],
    ['null', null],
    ['undefined', undefined],
    ['an empty Headers', new Headers()],
    ['an empty Map', new Map()],
  ])('gives undefined for %s', (_label, headers) => {
    expect(retryAfterFromHeaders(headers as HeadersLike, NOW)).toBeUndefined();
  });

  it('gives undefined instead of throwing for headers whose get throws', () => {
    const headers = {
      get(): never {
        throw new Error('boom');
      },
    };
    expect(retryAfterFromHeaders(headers, NOW)).toBeUndefined();
  });
});

/** A delay is an integer in [0, MAX_HEADER_DELAY_MS], never -0; the only other result is undefined. */
function expectDelay(result: unknown): void {
  if (result === undefined) return;
  expect(typeof result).toBe('number');
  const delay = result as number;
  expect(Number.isInteger(delay)).toBe(true);
  expect(delay).toBeGreaterThanOrEqual(0);
  expect(delay).toBeLessThanOrEqual(MAX_HEADER_DELAY_MS);
  expect(Object.is(delay, -0)).toBe(false);
}

const HEADER_NAMES = [
  'retry-after',
  'Retry-After',
  'retry-after-ms',
  'ratelimit',
  'RateLimit',
  'ratelimit-reset',
  'ratelimit-remaining',
  'x-ratelimit-reset',
  'X-RateLimit-Reset',
  'x-ratelimit-remaining',
];

const numbers = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER,
    1e9,
    1e12,
    1e21,
    NOW,
    NOW_SECONDS,
    MAX_HEADER_DELAY_MS,
  ),
);
const dates = fc.date();
const headerTexts = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  numbers.map(String),
  fc.bigInt().map(String),
  fc.nat().map((n) => `${n}.${n}`),
  dates.map((date) => date.toUTCString()),
  dates.map((date) => String(date)),
  dates.map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString())),
  fc.stringMatching(
    /^"?[a-z]{0,5}"?(;[rtRT]=-?[0-9.e+]{0,12}){0,3}(, ?"?[a-z]{0,5}"?(;[rt]=[0-9.]{0,12}){0,3}){0,3}$/,
  ),
  fc.stringMatching(
    /^(limit|remaining|reset)=-?[0-9.]{0,25}(, ?(limit|remaining|reset)=-?[0-9.]{0,25}){0,3}$/,
  ),
  fc.constant('9'.repeat(400)),
);
const values = fc.oneof(fc.anything(), headerTexts, numbers, dates, fc.array(headerTexts, { maxLength: 3 }));
const nows = fc.oneof(fc.constant(NOW), fc.integer({ min: 0, max: 4e12 }), numbers);
const headerObjects = fc.dictionary(
  fc.constantFrom(...HEADER_NAMES),
  fc.oneof(headerTexts, numbers, fc.anything()),
);
const headerStrings = fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerTexts);
const headersLike = fc.oneof(
  headerObjects,
  headerStrings.map((record) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(record)) {
      try {
        headers.append(key, value);
      } catch {
        // fetch refuses some byte sequences as header values; skip them.
      }
    }
    return headers;
  }),
  headerObjects.map((record) => new Map(Object.entries(record))),
  headerStrings.map((record) => new AxiosLikeHeaders(record)),
  fc.anything(),
);

describe('header parsers for any input', () => {
  const PARSERS: [string, (value: unknown, now: number) => unknown][] = [
    ['parseRetryAfter', (value, now) => parseRetryAfter(value, now)],
    ['parseRateLimitReset', (value, now) => parseRateLimitReset(value, now)],
    ['parseRateLimitHeader', (value) => parseRateLimitHeader(value)],
    ['retryAfterFromHeaders', (value, now) => retryAfterFromHeaders(value as HeadersLike, now)],
  ];

  it.each(PARSERS)('%s never throws and returns undefined or a bounded whole delay', (_name, parse) => {
    fc.assert(
      fc.property(values, nows, (value, now) => {
        expectDelay(parse(value, now));
      }),
      { numRuns: 2000 },
    );
  });

  it('retryAfterFromHeaders never throws and returns undefined or a bounded whole delay for any headers', () => {
    fc.assert(
      fc.property(headersLike, nows, (headers, now) => {
        expectDelay(retryAfterFromHeaders(headers as HeadersLike, now));
      }),
      { numRuns: 2000 },
    );
  });

  it('parseRetryAfter reads any whole delta-seconds exactly, up to the cap', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), NOW)).toBe(Math.min(seconds * 1000, MAX_HEADER_DELAY_MS));
      }),
    );
  });

  it('parseRetryAfter reads any IMF-fixdate as the time until it, clamped', () => {
    const secondsAround = fc.integer({ min: -10 * 365 * 86_400, max: 10 * 365 * 86_400 });
    fc.assert(
      fc.property(secondsAround, (offset) => {
        const at = NOW + offset * 1000;
        const expected = Math.min(Math.max(at - NOW, 0), MAX_HEADER_DELAY_MS);
        expect(parseRetryAfter(new Date(at).toUTCString(), NOW)).toBe(expected);
      }),
    );
  });

  it('parseRateLimitReset reads any future epoch-seconds reset as the time until it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), (offset) => {
        expect(parseRateLimitReset(String(NOW_SECONDS + offset), NOW)).toBe(offset * 1000);
      }),
    );
  });

  it('parseRateLimitHeader reads the reset of any single exhausted draft-08 policy', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2_000_000 }), fc.nat({ max: 1000 }), (reset, remaining) => {
        const policies = `"burst";r=${remaining + 1};t=${reset + 1}, "default";r=0;t=${reset}`;
        expect(parseRateLimitHeader(policies)).toBe(Math.min(reset * 1000, MAX_HEADER_DELAY_MS));
      }),
    );
  });
});
