import {
  type Clock,
  type ErrorKind,
  type ResiliencePlugin,
  type ResilientOptions,
  type ResilientPipeline,
  resilient,
} from '@resilient/core';
import type { EmailProvider } from '../email-provider';
import { checkEmailProviders } from './check-email-provider';
import { checkFailoverKinds, type FailoverRules } from './failover-rules';
import { ProviderLane } from './provider-lane';

/**
 * The pipeline options of each provider: everything `resilient()` from `@resilient/core` takes
 * (timeouts, retry, circuit breaker, bulkhead, rate limit, random) except what the client sets itself.
 */
export type EmailPipelineOptions = Omit<
  ResilientOptions,
  'service' | 'plugins' | 'clock' | 'idempotent' | 'fallback' | 'operation'
>;

/** Options of {@link createEmailClient}. */
export interface EmailClientOptions {
  /** The providers, first preferred; each runs behind its own pipeline and breaker. At least one. */
  readonly providers: readonly EmailProvider[];
  /**
   * Pipeline options for every provider, or a function that gives each provider its own (a rate limit
   * that matches its plan, say). Default: core's standard pipeline (30 s total, 10 s per attempt, 3
   * attempts with jittered backoff), except the breaker: {@link EMAIL_CIRCUIT_BREAKER_DEFAULTS}. One of
   * the two timeouts must stay on.
   */
  readonly pipeline?: EmailPipelineOptions | ((provider: EmailProvider) => EmailPipelineOptions);
  /**
   * Fail over even when the failed provider may have sent the message (outcome `unknown`: a timeout, a
   * reset, a 500). Off by default: the recipient could get the email twice. Turn it on only where a
   * duplicate costs less than a lost email. It does not change retries within a provider.
   */
  readonly allowDuplicateRisk?: boolean;
  /** The error kinds that fail over to the next provider. Default: {@link DEFAULT_FAILOVER_KINDS}. */
  readonly failoverOn?: readonly ErrorKind[];
  /** Plugins for every provider's pipeline (in addition to registered ones). */
  readonly plugins?: readonly ResiliencePlugin[];
  /** The clock of every pipeline. Default: the system clock; `FakeClock` in tests. */
  readonly clock?: Clock;
  /** Makes the idempotency key of a send that has none. Default: `globalThis.crypto.randomUUID()`. */
  readonly generateIdempotencyKey?: () => string;
}

/**
 * The breaker each provider gets unless its pipeline options set `circuitBreaker`: it opens after 5
 * provider failures in a row (core's consecutive strategy), not core's sampling default, which needs 10
 * calls in 30 s. Email traffic is often a few sends an hour, and an outage that answers 500 or times out
 * fails over safely only once the breaker is open (see the README, "Failover").
 */
export const EMAIL_CIRCUIT_BREAKER_DEFAULTS = Object.freeze({
  strategy: Object.freeze({ type: 'consecutive', threshold: 5 } as const),
});

/** @internal Options, checked and turned into lanes. */
export interface ResolvedEmailClientOptions {
  readonly lanes: readonly ProviderLane[];
  readonly rules: FailoverRules;
  readonly generateIdempotencyKey: () => string;
}

const KEYS = [
  'providers',
  'pipeline',
  'allowDuplicateRisk',
  'failoverOn',
  'plugins',
  'clock',
  'generateIdempotencyKey',
];

/** Pipeline options the client sets itself, and why. */
const RESERVED: Readonly<Record<string, string>> = {
  service: "the client sets it to each provider's name",
  plugins: 'pass plugins at the top level of the client options',
  clock: 'pass clock at the top level of the client options',
  idempotent: 'the client retries an unknown outcome only at providers with idempotency keys',
  fallback: 'the client fails over between providers instead',
  operation: 'the client names its operations email.send and email.sendBatch',
};

/** @internal Checks the client options and builds one pipeline per provider. */
export function resolveEmailClientOptions(options: EmailClientOptions): ResolvedEmailClientOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError('createEmailClient: options must be an object with providers');
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key))
      throw new TypeError(
        `createEmailClient: unknown option "${key}"; accepted options are ${KEYS.join(', ')}`,
      );
  }
  const providers = checkEmailProviders(options.providers);
  const allowDuplicateRisk = options.allowDuplicateRisk ?? false;
  if (typeof allowDuplicateRisk !== 'boolean')
    throw new TypeError('createEmailClient: allowDuplicateRisk must be true or false');
  const pipeline = options.pipeline;
  if (
    pipeline !== undefined &&
    typeof pipeline !== 'function' &&
    (typeof pipeline !== 'object' || pipeline === null)
  )
    throw new TypeError(
      'createEmailClient: pipeline must be an object of pipeline options, or a function of the provider',
    );
  const generateIdempotencyKey = options.generateIdempotencyKey ?? defaultKeyGenerator();
  if (typeof generateIdempotencyKey !== 'function')
    throw new TypeError('createEmailClient: generateIdempotencyKey must be a function that returns a string');
  const rules = { failoverKinds: checkFailoverKinds(options.failoverOn), allowDuplicateRisk };
  const lanes = providers.map((provider) => {
    const own = typeof pipeline === 'function' ? pipeline(provider) : pipeline;
    return new ProviderLane(provider, buildPipeline(provider.name, own, options));
  });
  return { lanes: Object.freeze(lanes), rules, generateIdempotencyKey };
}

function buildPipeline(
  name: string,
  own: EmailPipelineOptions | undefined,
  options: EmailClientOptions,
): ResilientPipeline {
  const where = `createEmailClient: pipeline of "${name}"`;
  if (own !== undefined && (typeof own !== 'object' || own === null || Array.isArray(own)))
    throw new TypeError(`${where} must be an object of pipeline options`);
  const settings = (own ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    const why = RESERVED[key];
    if (why !== undefined) throw new TypeError(`${where}: ${key} is not accepted: ${why}`);
  }
  if (settings.totalTimeoutMs === false && settings.attemptTimeoutMs === false)
    throw new RangeError(
      `${where}: totalTimeoutMs and attemptTimeoutMs cannot both be false, or a hung provider would hang send() forever`,
    );
  try {
    return resilient({
      circuitBreaker: { strategy: { ...EMAIL_CIRCUIT_BREAKER_DEFAULTS.strategy } },
      ...(settings as EmailPipelineOptions),
      service: name,
      operation: 'email.send',
      plugins: options.plugins,
      clock: options.clock,
    });
  } catch (error) {
    // Core names the option; say which provider's pipeline it belongs to.
    if (error instanceof RangeError) throw new RangeError(`${where}: ${error.message}`, { cause: error });
    if (error instanceof TypeError) throw new TypeError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

function defaultKeyGenerator(): () => string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const randomUUID = crypto?.randomUUID;
  if (typeof randomUUID !== 'function')
    throw new TypeError(
      'createEmailClient: globalThis.crypto.randomUUID is not available here; pass generateIdempotencyKey',
    );
  return () => randomUUID.call(crypto);
}
