import type { ErrorKind, Outcome } from '../errors/error-kind';

/**
 * The failure kind of an HTTP status. A status below 400 is not a failure and maps to `unknown`.
 *
 * 408 is a `timeout`; 409 and 423 a `conflict`; 429 a `rate-limit` (a provider's body may say it is a
 * `quota-exceeded` instead: adapters refine that); 502, 503, 504 and 529 are `unavailable`; other 5xx
 * are `server`, but 501 and 505 are `invalid-request` (no retry can make them work).
 */
export function kindFromStatus(status: number): ErrorKind {
  if (!Number.isInteger(status) || status < 400 || status > 599) return 'unknown';
  switch (status) {
    case 401:
      return 'auth';
    case 403:
      return 'permission';
    case 404:
    case 410:
      return 'not-found';
    case 408:
      return 'timeout';
    case 409:
    case 423:
      return 'conflict';
    case 429:
      return 'rate-limit';
    case 501:
    case 505:
      return 'invalid-request';
    case 502:
    case 503:
    case 504:
    case 529:
      return 'unavailable';
  }
  return status >= 500 ? 'server' : 'invalid-request';
}

/**
 * Whether a request that got this HTTP status may have been applied. A 500, 502 or 504 may hide a
 * request that was applied (a gateway timed out, or the server failed after writing), so it is
 * `unknown`; every other error status (400-599) means the provider refused the request (`failed`).
 * Anything that is not an error status says nothing about a refusal, so it is `unknown` too.
 */
export function outcomeFromStatus(status: number): Outcome {
  if (!Number.isInteger(status) || status < 400 || status > 599) return 'unknown';
  return status === 500 || status === 502 || status === 504 ? 'unknown' : 'failed';
}
