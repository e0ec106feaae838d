import { classifyError } from '@resilient/core';
import { checkEmailProvider } from '../client/check-email-provider';
import { EMAIL_FAULT_TYPES, type EmailFault, type EmailFaultType, faultOf } from '../conformance/email-fault';
import type {
  EmailMessage,
  EmailProvider,
  EmailProviderCapabilities,
  SendContext,
  SendResult,
} from '../email-provider';
import { faultError } from './fault-error';

/** Options of {@link InMemoryEmailProvider}. */
export interface InMemoryEmailProviderOptions {
  /** The provider's name. Default: `memory`. */
  readonly name?: string;
  /** Whether it deduplicates sends by idempotency key, as Resend does. Default: `false`. */
  readonly idempotencyKeys?: boolean;
  /** Whether it has a batch endpoint. Default: `false`. */
  readonly batch?: boolean;
}

/** A message the in-memory provider accepted. */
export interface InMemoryDelivery {
  readonly messageId: string;
  readonly message: EmailMessage;
  readonly idempotencyKey: string;
}

/** A request that reached the in-memory provider, delivered or not. */
export interface InMemoryRequest {
  /** The idempotency key it carried: set only when the provider has `idempotencyKeys`. */
  readonly idempotencyKey: string | undefined;
  /** How many messages it carried. */
  readonly messages: number;
}

/**
 * An email provider that keeps what it delivers in memory and fails on demand, for tests of code that
 * sends email: `failNext('unavailable', 3)` makes the next three sends fail as the fault table in
 * {@link EmailFaultType} says, and `failAlways('network-refused')` every send until `recover()`. With
 * `idempotencyKeys`, a repeated key replays the first result instead of delivering again. It passes
 * the conformance suite itself. Deterministic: message ids are `<name>-1`, `<name>-2`, ...
 */
export class InMemoryEmailProvider implements EmailProvider {
  readonly name: string;
  readonly capabilities: EmailProviderCapabilities;
  private readonly queued: EmailFault[] = [];
  private sticky: EmailFault | undefined;
  private readonly delivered: InMemoryDelivery[] = [];
  private readonly received: InMemoryRequest[] = [];
  private readonly replies = new Map<string, SendResult[]>();
  private nextId = 1;

  constructor(options: InMemoryEmailProviderOptions = {}) {
    this.name = options.name ?? 'memory';
    this.capabilities = Object.freeze({
      idempotencyKeys: options.idempotencyKeys ?? false,
      batch: options.batch ?? false,
    });
    checkEmailProvider(this, 'InMemoryEmailProvider');
  }

  /** Every message delivered, in order. */
  get deliveries(): readonly InMemoryDelivery[] {
    return this.delivered;
  }

  /** Every request that reached the provider, in order (a refused connection never does). */
  get requests(): readonly InMemoryRequest[] {
    return this.received;
  }

  /** Makes the next `times` sends (default 1) fail with `fault`, after the faults already queued. */
  failNext(fault: EmailFault | EmailFaultType, times = 1): this {
    if (!Number.isInteger(times) || times < 1 || times > 10_000)
      throw new RangeError(
        `InMemoryEmailProvider.failNext: times must be an integer from 1 to 10000; got ${times}`,
      );
    const resolved = resolveFault(fault);
    for (let count = 0; count < times; count++) this.queued.push(resolved);
    return this;
  }

  /** Makes every send fail with `fault` (after the queued ones) until {@link InMemoryEmailProvider.recover}. */
  failAlways(fault: EmailFault | EmailFaultType): this {
    this.sticky = resolveFault(fault);
    return this;
  }

  /** Forgets every queued and permanent fault. */
  recover(): this {
    this.queued.length = 0;
    this.sticky = undefined;
    return this;
  }

  /** Delivers one message, or fails with the next arranged fault. */
  async send(message: EmailMessage, context: SendContext): Promise<SendResult> {
    const [result] = await this.handle([message], context);
    return result!;
  }

  /** Delivers several messages as one request (it does so whatever `capabilities.batch` says). */
  async sendBatch(messages: readonly EmailMessage[], context: SendContext): Promise<SendResult[]> {
    return this.handle(messages, context);
  }

  private async handle(messages: readonly EmailMessage[], context: SendContext): Promise<SendResult[]> {
    await Promise.resolve();
    if (context.signal.aborted) throw classifyError(context.signal.reason, { service: this.name });
    const fault = this.queued.shift() ?? this.sticky;
    const service = this.name;
    if (fault?.type === 'network-refused') throw faultError(fault, service);
    const idempotencyKey = this.capabilities.idempotencyKeys ? context.idempotencyKey : undefined;
    this.received.push({ idempotencyKey, messages: messages.length });
    if (fault === undefined) return this.deliver(messages, context.idempotencyKey);
    if (fault.type === 'hang') {
      return new Promise((_resolve, reject) => {
        const abort = (): void => reject(classifyError(context.signal.reason, { service }));
        if (context.signal.aborted) abort();
        else context.signal.addEventListener('abort', abort, { once: true });
      });
    }
    if (fault.type === 'applied-response-lost') this.deliver(messages, context.idempotencyKey);
    throw faultError(fault, service);
  }

  private deliver(messages: readonly EmailMessage[], idempotencyKey: string): SendResult[] {
    if (this.capabilities.idempotencyKeys) {
      const replay = this.replies.get(idempotencyKey);
      if (replay !== undefined) return replay;
    }
    const results = messages.map((message): SendResult => {
      const messageId = `${this.name}-${this.nextId++}`;
      this.delivered.push({ messageId, message, idempotencyKey });
      return { provider: this.name, messageId };
    });
    if (this.capabilities.idempotencyKeys) this.replies.set(idempotencyKey, results);
    return results;
  }
}

function resolveFault(fault: EmailFault | EmailFaultType): EmailFault {
  const type = typeof fault === 'string' ? fault : fault?.type;
  if (!EMAIL_FAULT_TYPES.includes(type as EmailFaultType))
    throw new TypeError(
      `InMemoryEmailProvider: unknown fault "${String(type)}"; known faults: ${EMAIL_FAULT_TYPES.join(', ')}`,
    );
  return typeof fault === 'string' ? faultOf(fault) : fault;
}
