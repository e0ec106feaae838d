import {
  type Clock,
  RESILIENT_DEFAULTS,
  type ResilientOptions,
  splitPipelineOptions,
  systemClock,
} from '@resilient/core';
import { type SecretInput, type SecretSource, toSecretSource } from '@resilient/secrets';

/** Whether the client has one circuit breaker, or one per Stripe resource (`customers`, `refunds`, ...). */
export type BreakerScope = 'client' | 'resource';

/**
 * Options of `createResilientStripe`: the options of core's `resilient()` pipeline (timeouts, retry,
 * circuit breaker, bulkhead, rate limit, plugins, clock) and a few of its own. `idempotent`,
 * `operation` and `fallback` are not taken: the client decides idempotency per call (a GET is
 * repeatable, a POST carries an idempotency key), names each operation after the Stripe method, and
 * returns Stripe's own types, which a fallback value would not be.
 */
export interface ResilientStripeOptions
  extends Omit<ResilientOptions, 'service' | 'idempotent' | 'operation' | 'fallback'> {
  /** The service on errors, events and the breaker. Default: `stripe`. */
  readonly service?: string;
  /**
   * `client` (the default): one circuit breaker for every call, as one Stripe account fails as a whole.
   * `resource`: one pipeline per resource (`customers`, `paymentIntents`, `checkout.sessions`...), so
   * an outage of one endpoint does not stop the others; each then has its own breaker, retry budget
   * and, when set, bulkhead and rate limiter.
   */
  readonly breakerScope?: BreakerScope;
  /**
   * Makes the idempotency key of a POST that has none from the caller; called once per logical
   * operation, and the key is sent on every attempt. It must return 1 to 255 characters.
   * Default: `resilient-` and a random UUID.
   */
  readonly generateIdempotencyKey?: () => string;
  /**
   * The secret key to send every request with, as stripe-node's per-request `apiKey` (the `Stripe`
   * client's own key is then unused): a string, a `Secret`, or a `SecretSource` from
   * `@resilient/secrets` (`envSecret('STRIPE_SECRET_KEY')`, `fileSecret(...)`, a secret manager). With a
   * source, a request refused for its key (`auth`, a 401) reads the key again once and, when it was
   * rotated, is sent once more with the new key under the same idempotency key; a fresh key refused too
   * ends the call with that `AuthError`. A key given per call (`{ apiKey }`) wins over it.
   */
  readonly apiKey?: SecretInput;
}

/** The options once checked, with what the client needs at hand. */
export interface ResolvedStripeOptions {
  readonly service: string;
  readonly breakerScope: BreakerScope;
  readonly generateIdempotencyKey: () => string;
  /** Where the secret key comes from, when the `apiKey` option was given. */
  readonly apiKey: SecretSource | undefined;
  /** The options for core's `resilient()`, `service` included. */
  readonly pipeline: ResilientOptions;
  /** The attempt timeout in ms, or `undefined` for none. */
  readonly attemptTimeoutMs: number | undefined;
  readonly clock: Clock;
}

const OWN_KEYS = ['service', 'breakerScope', 'generateIdempotencyKey', 'apiKey'];
const DECIDED_PER_CALL: Readonly<Record<string, string>> = {
  idempotent:
    'idempotency is decided per call: GETs and DELETEs are repeatable, every POST carries an idempotency key',
  operation: 'each call is named after its Stripe method, such as "customers.create"',
  fallback: "the client returns Stripe types; wrap a call in core's fallback() to substitute a value",
};

/**
 * Checks the options once, when the client is built: unknown names, a `breakerScope` other than
 * `client` or `resource`, a `generateIdempotencyKey` that is not a function and a blank `service` throw
 * a `TypeError` that names the option, as does an `apiKey` that is not a non-empty string, a `Secret`
 * or a `SecretSource`; the pipeline's own options are checked by `resilient()`.
 */
export function resolveStripeOptions(options: ResilientStripeOptions | undefined): ResolvedStripeOptions {
  const { own: record, pipeline } = splitPipelineOptions(
    'createResilientStripe',
    options,
    OWN_KEYS,
    DECIDED_PER_CALL,
  );
  const service = record.service ?? 'stripe';
  if (typeof service !== 'string' || service.trim() === '')
    throw new TypeError('createResilientStripe: service must be a non-empty string, such as "stripe"');
  const breakerScope = record.breakerScope ?? 'client';
  if (breakerScope !== 'client' && breakerScope !== 'resource')
    throw new TypeError(
      `createResilientStripe: breakerScope must be "client" or "resource"; got ${show(breakerScope)}`,
    );
  const generate = record.generateIdempotencyKey ?? defaultIdempotencyKey;
  if (typeof generate !== 'function')
    throw new TypeError(
      `createResilientStripe: generateIdempotencyKey must be a function; got ${show(generate)}`,
    );
  const attempt = pipeline.attemptTimeoutMs;
  return {
    service,
    breakerScope,
    generateIdempotencyKey: generate as () => string,
    apiKey:
      record.apiKey === undefined
        ? undefined
        : toSecretSource(record.apiKey as SecretInput, 'STRIPE_SECRET_KEY', 'createResilientStripe: apiKey'),
    pipeline: { ...pipeline, service } as ResilientOptions,
    attemptTimeoutMs:
      attempt === false
        ? undefined
        : typeof attempt === 'number'
          ? attempt
          : RESILIENT_DEFAULTS.attemptTimeoutMs,
    clock: (pipeline.clock as Clock | undefined) ?? systemClock,
  };
}

/** `resilient-` and a random UUID: unique per logical operation. */
export function defaultIdempotencyKey(): string {
  return `resilient-${globalThis.crypto.randomUUID()}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}
