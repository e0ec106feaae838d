import { classifyError, type ResilientPipeline } from '@resilient/core';
import { type EmailProvider, type SendContext, toSendContext } from '../email-provider';
import type { ProviderFailure } from '../errors/provider-failure';

/** @internal One call to make through a lane. */
export interface LaneRequest<T> {
  readonly idempotencyKey: string;
  readonly signal: AbortSignal | undefined;
  readonly operation: string;
  /** One attempt: calls the provider. */
  readonly call: (provider: EmailProvider, context: SendContext) => Promise<unknown>;
  /** Checks what the provider resolved with; throws a `ResilientError` when it broke the contract. */
  readonly check: (value: unknown, provider: string) => T;
}

/** @internal What a lane did. */
export type LaneResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly failure: ProviderFailure };

/**
 * @internal One provider behind its own pipeline (and so its own breaker). The failure it reports
 * carries core's outcome for the whole operation: `unknown` as soon as any attempt may have delivered
 * the message (a timeout, a reset, a 500, a result that broke the contract), even when a later attempt
 * was refused cleanly.
 */
export class ProviderLane {
  constructor(
    readonly provider: EmailProvider,
    readonly pipeline: ResilientPipeline,
  ) {}

  async run<T>(request: LaneRequest<T>): Promise<LaneResult<T>> {
    const { provider } = this;
    let attempts = 0;
    try {
      const value = await this.pipeline.execute(
        async (context) => {
          attempts++;
          const raw = await request.call(provider, toSendContext(context, request.idempotencyKey));
          return request.check(raw, provider.name);
        },
        {
          // Core retries an unknown outcome only under a key, so only where the provider deduplicates.
          idempotencyKey: provider.capabilities.idempotencyKeys ? request.idempotencyKey : undefined,
          signal: request.signal,
          operation: request.operation,
        },
      );
      return { ok: true, value, attempts };
    } catch (raw) {
      const error = classifyError(raw, { service: provider.name });
      return {
        ok: false,
        failure: { provider: provider.name, kind: error.kind, outcome: error.outcome, attempts, error },
      };
    }
  }
}
