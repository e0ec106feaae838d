import { EmailValidationError } from '../errors/email-validation-error';

/** Options of one `send` or `sendBatch` call. */
export interface SendOptions {
  /**
   * The idempotency key of this logical send: printable ASCII, 1 to 256 characters. The same key goes
   * to every attempt and every provider. Default: a fresh `crypto.randomUUID()` per call. Pass your own
   * (an outbox row id, `welcome-${userId}`) to make a retry of the whole send, from a job queue say,
   * safe at providers that deduplicate.
   */
  readonly idempotencyKey?: string;
  /** Aborts the send: no further attempt, no failover, an `EmailDeliveryError` of kind `cancelled`. */
  readonly signal?: AbortSignal;
}

/** Printable ASCII: the key travels in an HTTP header. Resend allows up to 256 characters. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,256}$/;

/** @internal Checks send options; throws an {@link EmailValidationError} naming the option. */
export function checkSendOptions(options: unknown): SendOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new EmailValidationError({
      field: 'options',
      problem: 'must be an object with idempotencyKey and signal',
    });
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'idempotencyKey' && key !== 'signal')
      throw new EmailValidationError({
        field: `options.${key}`,
        problem: 'is not a send option; accepted options are idempotencyKey, signal',
      });
  }
  const key = record.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
    throw new EmailValidationError({
      field: 'options.idempotencyKey',
      problem: 'must be a string of 1 to 256 printable ASCII characters',
    });
  const signal = record.signal;
  if (signal !== undefined && !isAbortSignal(signal))
    throw new EmailValidationError({ field: 'options.signal', problem: 'must be an AbortSignal' });
  return record as SendOptions;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}
