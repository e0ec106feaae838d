import { AuthError, RateLimitError, ResilientError } from '@resilient/core';
import type { EmailFault } from '../conformance/email-fault';

/**
 * @internal The error a real provider adapter would reject with for `fault`, as the fault table in
 * `EmailFaultType` says. `hang` has none (the send waits for the signal), nor has a success.
 */
export function faultError(fault: Exclude<EmailFault, { type: 'hang' }>, service: string): ResilientError {
  switch (fault.type) {
    case 'rate-limit':
      return new RateLimitError({
        service,
        status: 429,
        retryAfterMs: fault.retryAfterSeconds * 1000,
        message: `${service}: too many requests`,
      });
    case 'quota-exceeded':
      return new RateLimitError({
        kind: 'quota-exceeded',
        service,
        status: 429,
        message: `${service}: daily quota exceeded`,
      });
    case 'auth':
      return new AuthError({ service, status: 401, message: `${service}: API key refused` });
    case 'invalid-request':
      return httpError('invalid-request', 'failed', 422, service, 'invalid message');
    case 'server':
      return httpError('server', 'unknown', 500, service, 'internal error');
    case 'unavailable':
      return httpError('unavailable', 'failed', 503, service, 'unavailable');
    case 'network-refused':
      return new ResilientError({
        kind: 'network',
        outcome: 'not-sent',
        service,
        message: `${service}: connection refused`,
      });
    case 'network-reset':
      return new ResilientError({
        kind: 'network',
        outcome: 'unknown',
        service,
        message: `${service}: socket reset`,
      });
    case 'applied-response-lost':
      return new ResilientError({
        kind: 'network',
        outcome: 'unknown',
        service,
        message: `${service}: socket closed`,
      });
  }
}

function httpError(
  kind: 'invalid-request' | 'server' | 'unavailable',
  outcome: 'failed' | 'unknown',
  status: number,
  service: string,
  text: string,
): ResilientError {
  return new ResilientError({ kind, outcome, status, service, message: `${service}: ${text}` });
}
