import type { ErrorKind, Outcome } from '@resilient/core';

/**
 * The ways a send can fail that every provider must report faithfully:
 *
 * | fault | what the fake does | kind | outcome | retryable |
 * | --- | --- | --- | --- | --- |
 * | `rate-limit` | answers 429 with `Retry-After: retryAfterSeconds` | `rate-limit` | `failed` | yes, `retryAfterMs` set |
 * | `quota-exceeded` | answers the provider's quota error (optional) | `quota-exceeded` | `failed` | no |
 * | `auth` | refuses the API key (401) | `auth` | `failed` | no |
 * | `invalid-request` | refuses the message (400 or 422) | `invalid-request` | `failed` | no |
 * | `server` | answers 500 | `server` | `unknown` | yes |
 * | `unavailable` | answers 503 | `unavailable` | `failed` | yes |
 * | `network-refused` | refuses the connection | `network` | `not-sent` | yes |
 * | `network-reset` | destroys the socket before processing the request | `network` | `unknown` | yes |
 * | `applied-response-lost` | processes (delivers) the request, then destroys the socket | `network` | `unknown` | yes |
 * | `hang` | reads the request and never answers | core's `TimeoutError` | `unknown` | |
 */
export type EmailFaultType =
  | 'rate-limit'
  | 'quota-exceeded'
  | 'auth'
  | 'invalid-request'
  | 'server'
  | 'unavailable'
  | 'network-refused'
  | 'network-reset'
  | 'hang'
  | 'applied-response-lost';

/** A fault to arrange for the next send, by its `type`. Only `rate-limit` carries details. */
export type EmailFault =
  | { readonly type: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly type: 'quota-exceeded' }
  | { readonly type: 'auth' }
  | { readonly type: 'invalid-request' }
  | { readonly type: 'server' }
  | { readonly type: 'unavailable' }
  | { readonly type: 'network-refused' }
  | { readonly type: 'network-reset' }
  | { readonly type: 'hang' }
  | { readonly type: 'applied-response-lost' };

/** Faults a provider may declare unsupported, because it does not have the feature. */
export type OptionalEmailFaultType = 'quota-exceeded';

/** Every fault, in the order the suite runs them. */
export const EMAIL_FAULT_TYPES: readonly EmailFaultType[] = Object.freeze([
  'rate-limit',
  'quota-exceeded',
  'auth',
  'invalid-request',
  'server',
  'unavailable',
  'network-refused',
  'network-reset',
  'applied-response-lost',
  'hang',
]);

/** The faults that may be declared unsupported. */
export const OPTIONAL_EMAIL_FAULT_TYPES: readonly OptionalEmailFaultType[] = Object.freeze([
  'quota-exceeded',
]);

/** What a provider must reject with for one fault, and what the fake must have done. */
export interface FaultExpectation {
  readonly kind: ErrorKind;
  readonly outcome: Outcome;
  readonly retryable: boolean;
  /** Whether the fake delivers the message before failing. */
  readonly delivered: boolean;
  /** Whether the request reaches the fake (a refused connection does not). */
  readonly reachesServer: boolean;
}

/** The expectation of every fault but `hang` (which core's attempt timeout ends). */
export const FAULT_EXPECTATIONS: Readonly<Record<Exclude<EmailFaultType, 'hang'>, FaultExpectation>> =
  Object.freeze({
    'rate-limit': {
      kind: 'rate-limit',
      outcome: 'failed',
      retryable: true,
      delivered: false,
      reachesServer: true,
    },
    'quota-exceeded': {
      kind: 'quota-exceeded',
      outcome: 'failed',
      retryable: false,
      delivered: false,
      reachesServer: true,
    },
    auth: { kind: 'auth', outcome: 'failed', retryable: false, delivered: false, reachesServer: true },
    'invalid-request': {
      kind: 'invalid-request',
      outcome: 'failed',
      retryable: false,
      delivered: false,
      reachesServer: true,
    },
    server: { kind: 'server', outcome: 'unknown', retryable: true, delivered: false, reachesServer: true },
    unavailable: {
      kind: 'unavailable',
      outcome: 'failed',
      retryable: true,
      delivered: false,
      reachesServer: true,
    },
    'network-refused': {
      kind: 'network',
      outcome: 'not-sent',
      retryable: true,
      delivered: false,
      reachesServer: false,
    },
    'network-reset': {
      kind: 'network',
      outcome: 'unknown',
      retryable: true,
      delivered: false,
      reachesServer: true,
    },
    'applied-response-lost': {
      kind: 'network',
      outcome: 'unknown',
      retryable: true,
      delivered: true,
      reachesServer: true,
    },
  });

/** @internal The fault object for a type, with the suite's `Retry-After` for a rate limit. */
export function faultOf(type: EmailFaultType, retryAfterSeconds = 7): EmailFault {
  return type === 'rate-limit' ? { type, retryAfterSeconds } : ({ type } as EmailFault);
}
