import {
  type Clock,
  RESILIENT_DEFAULTS,
  type ResilientOptions,
  splitPipelineOptions,
  systemClock,
} from '@resilient/core';

/** Options of {@link createResilientClerk}: core's pipeline options (but `idempotent`, `operation`, `fallback`) and the client's own. */
export interface ResilientClerkOptions
  extends Omit<ResilientOptions, 'service' | 'idempotent' | 'operation' | 'fallback'> {
  /** The service named on errors, events and the breaker. Default: `clerk`. */
  readonly service?: string;
  /**
   * Look before retrying `users.createUser` when an attempt's outcome is unknown (a timeout, a reset,
   * a 500): find the user by the `externalId` (else the first `emailAddress`) of the call, and return
   * it if it exists instead of creating a second one. Default: `false` (such a create is not retried).
   */
  readonly lookBeforeRetry?: boolean;
}

/** The options once checked. */
export interface ResolvedClerkOptions {
  readonly service: string;
  readonly lookBeforeRetry: boolean;
  /** The options for core's `resilient()`, `service` included. */
  readonly pipeline: ResilientOptions;
  readonly clock: Clock;
}

const OWN_KEYS = ['service', 'lookBeforeRetry'];
const DECIDED_PER_CALL: Readonly<Record<string, string>> = {
  idempotent:
    'reads (get*, list*, verify*) are repeatable; creates and other writes are not retried after an unknown outcome',
  operation: 'each call is named after its Clerk method, such as "users.createUser"',
  fallback: "the client returns Clerk types; wrap a call in core's fallback() to substitute a value",
};

/**
 * Checks the options once, when the client is built: an unknown name, a blank `service` or a
 * `lookBeforeRetry` that is not a boolean throws a `TypeError` naming the option; the pipeline's own
 * options are checked by `resilient()`.
 */
export function resolveClerkOptions(options: ResilientClerkOptions | undefined): ResolvedClerkOptions {
  const { own: record, pipeline } = splitPipelineOptions(
    'createResilientClerk',
    options,
    OWN_KEYS,
    DECIDED_PER_CALL,
  );
  const service = record.service ?? 'clerk';
  if (typeof service !== 'string' || service.trim() === '')
    throw new TypeError('createResilientClerk: service must be a non-empty string, such as "clerk"');
  const lookBeforeRetry = record.lookBeforeRetry ?? false;
  if (typeof lookBeforeRetry !== 'boolean')
    throw new TypeError(
      `createResilientClerk: lookBeforeRetry must be true or false; got ${typeof lookBeforeRetry}`,
    );
  return {
    service,
    lookBeforeRetry,
    pipeline: { totalTimeoutMs: RESILIENT_DEFAULTS.totalTimeoutMs, ...pipeline, service } as ResilientOptions,
    clock: (pipeline.clock as Clock | undefined) ?? systemClock,
  };
}
