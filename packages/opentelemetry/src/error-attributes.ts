import type { Attributes } from '@opentelemetry/api';
import { type ResilientError, redactText } from '@resilient/core';
import { ATTRIBUTES } from './telemetry-names';

/** Provider codes and request ids are short; anything longer is not one and is cut. */
const MAX_TEXT_LENGTH = 128;

/**
 * @internal Adds what an error says about a failure to `attributes`: its kind, whether it is
 * retryable, whether the request was sent, the HTTP status, the provider's code and request id, and
 * the wait asked for. Never the message or the cause, which may quote a request or a credential; the
 * two texts recorded are redacted with core's `redactText` and cut to 128 characters.
 */
export function addErrorAttributes(attributes: Attributes, error: ResilientError): Attributes {
  attributes[ATTRIBUTES.errorKind] = error.kind;
  attributes[ATTRIBUTES.errorRetryable] = error.retryable;
  attributes[ATTRIBUTES.errorOutcome] = error.outcome;
  const { status, code, requestId, retryAfterMs } = error;
  if (typeof status === 'number') attributes[ATTRIBUTES.errorStatus] = status;
  if (typeof code === 'string' && code !== '') attributes[ATTRIBUTES.errorCode] = safeText(code);
  if (typeof requestId === 'string' && requestId !== '')
    attributes[ATTRIBUTES.errorRequestId] = safeText(requestId);
  if (typeof retryAfterMs === 'number') attributes[ATTRIBUTES.errorRetryAfterMs] = retryAfterMs;
  return attributes;
}

/** Whether an error is the caller's own abort, which is not a failure of the operation. */
export function isCancellation(error: ResilientError | undefined): boolean {
  return error !== undefined && error.kind === 'cancelled';
}

function safeText(text: string): string {
  const redacted = redactText(text);
  return redacted.length > MAX_TEXT_LENGTH ? redacted.slice(0, MAX_TEXT_LENGTH) : redacted;
}
