import { checkEmailProvider } from '../client/check-email-provider';
import type { EmailMessage, EmailProvider } from '../email-provider';
import { validateEmailMessage } from '../message/validate-email-message';
import { type EmailFault, OPTIONAL_EMAIL_FAULT_TYPES, type OptionalEmailFaultType } from './email-fault';

/** A request as the provider's fake server (or stub) received it. */
export interface ConformanceRequest {
  /** The idempotency key the request carried, if any (the `Idempotency-Key` header, say). */
  readonly idempotencyKey?: string | undefined;
}

/**
 * What the suite drives in each test: a fresh provider talking to the author's fake, and the handles
 * the suite needs to arrange faults and see what the fake received.
 */
export interface ConformanceHarness {
  /** The provider under test, wired to the fake. */
  readonly provider: EmailProvider;
  /**
   * The API key the provider was built with. The suite checks that no error shows it. Use a realistic
   * key of at least 12 characters, so that finding it in an error can only mean a leak.
   */
  readonly apiKey: string;
  /** Makes the NEXT request fail in the named way (see {@link EmailFaultType}); later ones succeed. */
  arrange(fault: EmailFault): void | Promise<void>;
  /** How many messages the fake has accepted so far: a replayed idempotent request counts once. */
  deliveries(): number | Promise<number>;
  /** Every request that reached the fake, in order (a refused connection never reaches it). */
  requests(): readonly ConformanceRequest[] | Promise<readonly ConformanceRequest[]>;
  /** Releases the harness (closes the fake server and its open connections). Called after each test. */
  close?(): void | Promise<void>;
}

/** Options of {@link describeEmailProviderConformance}. */
export interface EmailProviderConformanceOptions {
  /** Names the `describe` block, such as `postmark`. */
  readonly name: string;
  /** Builds a fresh harness; called before each test. */
  readonly setup: () => ConformanceHarness | Promise<ConformanceHarness>;
  /** Optional faults the provider does not have, such as `['quota-exceeded']`; their tests are skipped. */
  readonly unsupportedFaults?: readonly OptionalEmailFaultType[];
  /** The message the suite sends. Default: a short text and HTML message to `ada@example.com`. */
  readonly message?: EmailMessage;
  /**
   * Whether the provider stops its request when the attempt's signal aborts (it passes the signal to
   * `fetch` or its SDK). Default: `true`; set `false` only for an SDK that takes no signal.
   */
  readonly honoursAbortSignal?: boolean;
  /** The most real time to wait for I/O: a hung request to arrive, an aborted one to stop. Default: 2,000 ms. */
  readonly waitTimeoutMs?: number;
}

/** @internal Options, checked. */
export interface ResolvedConformanceOptions {
  readonly name: string;
  readonly setup: () => ConformanceHarness | Promise<ConformanceHarness>;
  readonly unsupportedFaults: ReadonlySet<string>;
  readonly message: EmailMessage;
  readonly honoursAbortSignal: boolean;
  readonly waitTimeoutMs: number;
}

const DEFAULT_MESSAGE: EmailMessage = Object.freeze({
  from: 'Conformance <sender@example.com>',
  to: ['ada@example.com'],
  subject: 'Conformance check',
  text: 'Hello from the conformance suite',
  html: '<p>Hello from the conformance suite</p>',
});

const OWNER = 'describeEmailProviderConformance';

/** @internal Checks the suite's options when it is declared, naming the option that is wrong. */
export function resolveConformanceOptions(
  options: EmailProviderConformanceOptions,
): ResolvedConformanceOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${OWNER}: options must be an object with name and setup`);
  if (typeof options.name !== 'string' || options.name.trim() === '')
    throw new TypeError(`${OWNER}: name must be a non-empty string, such as "postmark"`);
  if (typeof options.setup !== 'function')
    throw new TypeError(`${OWNER}: setup must be a function that returns a harness`);
  const unsupported = options.unsupportedFaults ?? [];
  if (!Array.isArray(unsupported)) throw new TypeError(`${OWNER}: unsupportedFaults must be an array`);
  for (const fault of unsupported) {
    if (!OPTIONAL_EMAIL_FAULT_TYPES.includes(fault))
      throw new RangeError(
        `${OWNER}: unsupportedFaults lists "${String(fault)}"; only ${OPTIONAL_EMAIL_FAULT_TYPES.join(', ')} may be declared unsupported`,
      );
  }
  const message = options.message ?? DEFAULT_MESSAGE;
  validateEmailMessage(message);
  const honoursAbortSignal = options.honoursAbortSignal ?? true;
  if (typeof honoursAbortSignal !== 'boolean')
    throw new TypeError(`${OWNER}: honoursAbortSignal must be true or false`);
  const waitTimeoutMs = options.waitTimeoutMs ?? 2_000;
  if (typeof waitTimeoutMs !== 'number' || !(waitTimeoutMs >= 10 && waitTimeoutMs <= 60_000))
    throw new RangeError(`${OWNER}: waitTimeoutMs must be a number from 10 to 60000`);
  return {
    name: options.name,
    setup: options.setup,
    unsupportedFaults: new Set(unsupported),
    message,
    honoursAbortSignal,
    waitTimeoutMs,
  };
}

/** @internal Checks what `setup` returned, naming what is missing. */
export function checkHarness(value: unknown): ConformanceHarness {
  const where = `${OWNER}: the harness that setup returned`;
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where} must be an object`);
  const harness = value as Partial<Record<keyof ConformanceHarness, unknown>>;
  checkEmailProvider(harness.provider, `${where}: provider`);
  if (typeof harness.apiKey !== 'string' || harness.apiKey.length < 12)
    throw new TypeError(`${where}: apiKey must be the provider's API key, at least 12 characters`);
  for (const method of ['arrange', 'deliveries', 'requests'] as const) {
    if (typeof harness[method] !== 'function') throw new TypeError(`${where}: ${method} must be a function`);
  }
  if (harness.close !== undefined && typeof harness.close !== 'function')
    throw new TypeError(`${where}: close must be a function`);
  return value as ConformanceHarness;
}

/** @internal A fresh send context for a direct call to the provider. */
export function directContext(idempotencyKey = newKey()): {
  signal: AbortSignal;
  idempotencyKey: string;
  attempt: number;
} {
  return { signal: new AbortController().signal, idempotencyKey, attempt: 1 };
}

/** @internal A fresh idempotency key. */
export function newKey(): string {
  return globalThis.crypto.randomUUID();
}

/** @internal Both counters of the fake, read together. */
export async function countsOf(
  harness: ConformanceHarness,
): Promise<{ deliveries: number; requests: number }> {
  return { deliveries: await harness.deliveries(), requests: (await harness.requests()).length };
}
