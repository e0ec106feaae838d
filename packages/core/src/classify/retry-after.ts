import { type HeadersLike, readHeader } from './read-header';

/**
 * The longest delay any parser returns: the largest delay a JavaScript timer can wait
 * (2^31 - 1 ms, about 24.8 days). A longer reset (a monthly quota) is reported as this bound.
 */
export const MAX_HEADER_DELAY_MS = 2_147_483_647;

const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;

/** Clamps a delay to `[0, MAX_HEADER_DELAY_MS]` and rounds it up to whole milliseconds. */
function clampDelay(ms: number): number | undefined {
  if (Number.isNaN(ms)) return undefined;
  if (ms <= 0) return 0;
  if (ms >= MAX_HEADER_DELAY_MS) return MAX_HEADER_DELAY_MS;
  return Math.ceil(ms);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form and asctime. */
const IMF_FIXDATE = new RegExp(`^${DAY},\\s+\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\s+${TIME}\\s+(?:GMT|UTC)$`, 'i');
const RFC_850 = new RegExp(`^${LONG_DAY},\\s+\\d{1,2}-${MONTH}-\\d{2}\\s+${TIME}\\s+(?:GMT|UTC)$`, 'i');
const ASCTIME = new RegExp(`^${DAY}\\s+${MONTH}\\s+\\d{1,2}\\s+${TIME}\\s+\\d{4}$`, 'i');

/** Parses an HTTP-date into epoch milliseconds; `NaN` for anything else (`Date.parse` alone is far too lenient). */
function parseHttpDate(text: string): number {
  if (IMF_FIXDATE.test(text) || RFC_850.test(text)) return Date.parse(text);
  // asctime carries no zone but is always GMT; `Date.parse` would read it as local time.
  if (ASCTIME.test(text)) return Date.parse(`${text} GMT`);
  return Number.NaN;
}

/**
 * Parses a `Retry-After` value: delta-seconds (`"120"`, also `"1.5"`) or an HTTP-date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`, or the RFC 850 and asctime forms). Returns milliseconds from
 * `nowMs`, clamped to `[0, MAX_HEADER_DELAY_MS]`, or `undefined` when the value is not one of those
 * forms. Never throws.
 */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? clampDelay(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (DELTA_SECONDS.test(text)) return clampDelay(Number(text) * 1000);
  const at = parseHttpDate(text);
  if (Number.isNaN(at) || !Number.isFinite(nowMs)) return undefined;
  return clampDelay(at - nowMs);
}

/**
 * Parses an `x-ratelimit-reset` value. SendGrid and GitHub send epoch seconds; some APIs send epoch
 * milliseconds or a delta in seconds. Values of at least 10^12 are read as epoch milliseconds, values
 * of at least 10^9 as epoch seconds, and smaller ones as delta-seconds. Returns clamped milliseconds
 * from `nowMs`, or `undefined`. Never throws.
 */
export function parseRateLimitReset(value: unknown, nowMs: number = Date.now()): number | undefined {
  let number: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    number = value;
  } else if (typeof value === 'string' && DELTA_SECONDS.test(value.trim())) {
    number = Number(value.trim());
  } else {
    return undefined;
  }
  if (!Number.isFinite(nowMs)) return undefined;
  if (number >= 1e12) return clampDelay(number - nowMs);
  if (number >= 1e9) return clampDelay(number * 1000 - nowMs);
  return clampDelay(number * 1000);
}

/** The resets, in seconds, that an IETF `RateLimit` header names. */
interface RateLimitResets {
  /** The longest reset among the policies with no requests remaining (or that do not say). */
  readonly exhausted: number | undefined;
  /** The longest reset overall. */
  readonly any: number | undefined;
}

const DRAFT_07_KEYS = new Set(['limit', 'remaining', 'reset']);

function rateLimitResets(value: unknown): RateLimitResets {
  if (typeof value !== 'string' || value.length > 4096) return { exhausted: undefined, any: undefined };
  const policies: { reset?: number; remaining?: number }[] = [];
  // draft-07 is one policy spread over a dictionary (`limit=100, remaining=0, reset=30`); draft-08 and
  // later list one policy per member (`"default";r=0;t=30, "burst";r=5;t=1`).
  const draft07: { reset?: number; remaining?: number } = {};
  for (const item of value.split(',')) {
    const policy: { reset?: number; remaining?: number } = {};
    for (const parameter of item.split(';')) {
      const equals = parameter.indexOf('=');
      if (equals < 0) continue;
      const key = parameter.slice(0, equals).trim().toLowerCase();
      const raw = parameter.slice(equals + 1).trim();
      if (!DELTA_SECONDS.test(raw)) continue;
      const number = Number(raw);
      const target = DRAFT_07_KEYS.has(key) ? draft07 : policy;
      if (key === 't' || key === 'reset') target.reset = number;
      else if (key === 'r' || key === 'remaining') target.remaining = number;
    }
    policies.push(policy);
  }
  policies.push(draft07);
  let exhausted: number | undefined;
  let any: number | undefined;
  for (const { reset, remaining } of policies) {
    if (reset === undefined) continue;
    any = Math.max(any ?? 0, reset);
    if (remaining === undefined || remaining === 0) exhausted = Math.max(exhausted ?? 0, reset);
  }
  return { exhausted, any };
}

/**
 * Parses the IETF `RateLimit` header in either draft form and returns the reset delay in milliseconds:
 * draft-07 (`limit=100, remaining=0, reset=30`) or draft-08 and later (`"default";r=0;t=30`). When
 * several policies are listed, the longest reset among those with no requests remaining wins, else the
 * longest overall. Returns `undefined` when no reset is given. Never throws.
 */
export function parseRateLimitHeader(value: unknown): number | undefined {
  const { exhausted, any } = rateLimitResets(value);
  const seconds = exhausted ?? any;
  return seconds === undefined ? undefined : clampDelay(seconds * 1000);
}

/** Whether a `*-remaining` header says requests are left, so its reset is no reason to wait. */
function hasRemaining(headers: HeadersLike, name: string): boolean {
  const remaining = readHeader(headers, name);
  return remaining !== undefined && DELTA_SECONDS.test(remaining) && Number(remaining) > 0;
}

/**
 * The delay a provider asked for, read from response headers in order of precedence:
 * `retry-after-ms`, `retry-after`, `ratelimit` (IETF structured), `ratelimit-reset` (IETF draft-06,
 * delta-seconds, as Resend sends it) and `x-ratelimit-reset` (epoch seconds, as SendGrid sends it).
 * A rate-limit reset counts only when its limit is used up: the `ratelimit` policies with `r=0` (or no
 * `r`), and `ratelimit-reset`/`x-ratelimit-reset` unless `ratelimit-remaining`/`x-ratelimit-remaining`
 * says requests remain. Resend and SendGrid send these headers on every response, and the time until
 * the window resets is no reason to delay the retry of a 500.
 * Returns milliseconds clamped to `[0, MAX_HEADER_DELAY_MS]`, or `undefined`. Never throws.
 */
export function retryAfterFromHeaders(headers: HeadersLike, nowMs: number = Date.now()): number | undefined {
  const retryAfterMs = readHeader(headers, 'retry-after-ms');
  if (retryAfterMs !== undefined && DELTA_SECONDS.test(retryAfterMs)) return clampDelay(Number(retryAfterMs));
  const retryAfter = parseRetryAfter(readHeader(headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const structured = rateLimitResets(readHeader(headers, 'ratelimit')).exhausted;
  if (structured !== undefined) return clampDelay(structured * 1000);
  if (!hasRemaining(headers, 'ratelimit-remaining')) {
    const delay = parseRateLimitReset(readHeader(headers, 'ratelimit-reset'), nowMs);
    if (delay !== undefined) return delay;
  }
  if (hasRemaining(headers, 'x-ratelimit-remaining')) return undefined;
  return parseRateLimitReset(readHeader(headers, 'x-ratelimit-reset'), nowMs);
}
