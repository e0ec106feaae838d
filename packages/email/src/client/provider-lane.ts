import { classifyError, type Outcome, type ResilientPipeline } from '@resilient/core';
import { type EmailProvider, type SendContext, toSendContext } from '../email-provider';
import type { ProviderFailure } from '../errors/provider-failure';
import { worstOutcome } from '../errors/provider-failure';

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

/** Each attempt's state: still running (or abandoned by a timeout), delivered, or its error's outcome. */
type AttemptState = Outcome | 'running' | 'delivered';

/**
 * @internal One provider behind its own pipeline (and so its own breaker). It records every attempt,
 * so the failure it reports carries the most cautious outcome over all of them: an attempt abandoned by
 * a timeout, or one that failed with an `unknown` outcome, makes the whole send `unknown` even when a
 * later attempt was refused cleanly. Core's final error carries only the last attempt's outcome.
 */
export class ProviderLane {
  constructor(
    readonly provider: EmailProvider,
    readonly pipeline: ResilientPipeline,
  ) {}

  async run<T>(request: LaneRequest<T>): Promise<LaneResult<T>> {
    const { provider } = this;
    const states: { state: AttemptState }[] = [];
    try {
      const value = await this.pipeline.execute(
        async (context) => {
          const record: { state: AttemptState } = { state: 'running' };
          states.push(record);
          try {
            const raw = await request.call(provider, toSendContext(context, request.idempotencyKey));
            record.state = 'delivered';
            return request.check(raw, provider.name);
          } catch (raw) {
            const error = classifyError(raw, { service: provider.name });
            if (record.state === 'running') record.state = error.outcome;
            throw error;
          }
        },
        {
          // Core retries an unknown outcome only under a key, so only where the provider deduplicates.
          idempotencyKey: provider.capabilities.idempotencyKeys ? request.idempotencyKey : undefined,
          signal: request.signal,
          operation: request.operation,
        },
      );
      return { ok: true, value, attempts: states.length };
    } catch (raw) {
      const error = classifyError(raw, { service: provider.name });
      const outcome = worstOutcome(
        states.map(({ state }) => (state === 'running' || state === 'delivered' ? 'unknown' : state)),
      );
      return {
        ok: false,
        failure: { provider: provider.name, kind: error.kind, outcome, attempts: states.length, error },
      };
    }
  }
}
