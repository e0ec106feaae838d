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

/**
 * Parses a `Retry-After` value: delta-seconds (`"120"`, also `"1.5"`) or an HTTP-date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns milliseconds from `nowMs`, clamped to
 * `[0, MAX_HEADER_DELAY_MS]`, or `undefined` when the value is not one of those forms. Never throws.
 */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? clampDelay(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (DELTA_SECONDS.test(text)) return clampDelay(Number(text) * 1000);
  // An HTTP-date always names a weekday or month in letters; a bare number that failed above is junk.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
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
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!DELTA_SECONDS.test(text) || !Number.isFinite(nowMs)) return undefined;
  const number = Number(text);
  if (number >= 1e12) return clampDelay(number - nowMs);
  if (number >= 1e9) return clampDelay(number * 1000 - nowMs);
  return clampDelay(number * 1000);
}

/**
 * Parses the IETF `RateLimit` header in either draft form and returns the reset delay in milliseconds:
 * draft-07 (`limit=100, remaining=0, reset=30`) or draft-08 and later (`"default";r=0;t=30`). When
 * several policies are listed, the longest reset among those with no requests remaining wins, else the
 * longest overall. Returns `undefined` when no reset is given. Never throws.
 */
export function parseRateLimitHeader(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  let exhausted: number | undefined;
  let any: number | undefined;
  for (const item of value.split(',')) {
    // draft-07 spreads one policy over several comma-separated members; draft-08 has one per item.
    const parameters = item.split(';');
    let reset: number | undefined;
    let remaining: number | undefined;
    for (const parameter of parameters) {
      const equals = parameter.indexOf('=');
      if (equals < 0) continue;
      const key = parameter.slice(0, equals).trim().toLowerCase();
      const raw = parameter.slice(equals + 1).trim();
      if (!DELTA_SECONDS.test(raw)) continue;
      const number = Number(raw);
      if (key === 't' || key === 'reset') reset = number;
      else if (key === 'r' || key === 'remaining') remaining = number;
    }
    if (reset !== undefined) {
      any = Math.max(any ?? 0, reset);
      if (remaining === 0 || remaining === undefined) exhausted = Math.max(exhausted ?? 0, reset);
    }
  }
  const seconds = exhausted ?? any;
  return seconds === undefined ? undefined : clampDelay(seconds * 1000);
}

/**
 * The delay a provider asked for, read from response headers in order of precedence:
 * `retry-after-ms`, `retry-after`, `ratelimit` (IETF structured), `ratelimit-reset` (IETF draft-06,
 * delta-seconds, as Resend sends it) and `x-ratelimit-reset` (epoch seconds, as SendGrid sends it).
 * Returns milliseconds clamped to `[0, MAX_HEADER_DELAY_MS]`, or `undefined`. Never throws.
 */
export function retryAfterFromHeaders(headers: HeadersLike, nowMs: number = Date.now()): number | undefined {
  const retryAfterMs = readHeader(headers, 'retry-after-ms');
  if (retryAfterMs !== undefined && DELTA_SECONDS.test(retryAfterMs)) return clampDelay(Number(retryAfterMs));
  const retryAfter = parseRetryAfter(readHeader(headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const structured = parseRateLimitHeader(readHeader(headers, 'ratelimit'));
  if (structured !== undefined) return structured;
  const draft06 = readHeader(headers, 'ratelimit-reset');
  if (draft06 !== undefined) {
    const delay = parseRateLimitReset(draft06, nowMs);
    if (delay !== undefined) return delay;
  }
  return parseRateLimitReset(readHeader(headers, 'x-ratelimit-reset'), nowMs);
}
