import { type AttemptContext, type ResilientPipeline, resilient } from '@resilient/core';
import { mapClerkError } from './map-clerk-error';
import type { ResolvedClerkOptions } from './resilient-clerk-options';

/** One logical call to Clerk's Backend API. */
export interface ClerkCallSpec {
  /** The operation's name, such as `users.createUser`. */
  readonly operation: string;
  /** Whether it can be repeated after an unknown outcome (a read, or a create guarded by a look). */
  readonly idempotent: boolean;
  /** Ends the operation at once with a `CancelledError`. */
  readonly signal?: AbortSignal | undefined;
}

/** What one attempt is told: the pipeline's context, and whether it is a retry. */
export interface ClerkAttempt {
  readonly context: AttemptContext;
  /**
   * An earlier attempt of this call failed, perhaps after Clerk applied it (a timeout, a reset, a 500):
   * a write guarded by a look checks first.
   */
  readonly retrying: boolean;
}

/**
 * Runs logical Clerk calls through the client's one `resilient()` pipeline (one breaker per client),
 * mapping every error with {@link mapClerkError}. `@clerk/backend` does not retry Backend API calls by
 * itself, so this retry layer is the only one.
 */
export class ClerkCallRunner {
  /** The client's pipeline. */
  readonly pipeline: ResilientPipeline;

  constructor(private readonly options: ResolvedClerkOptions) {
    this.pipeline = resilient(options.pipeline);
  }

  /** Runs `send` under the pipeline, once per attempt. */
  run<T>(spec: ClerkCallSpec, send: (attempt: ClerkAttempt) => T | PromiseLike<T>): Promise<Awaited<T>> {
    const { service, clock } = this.options;
    return this.pipeline.execute(
      async (context): Promise<Awaited<T>> => {
        try {
          return await send({ context, retrying: context.attempt > 1 });
        } catch (error) {
          throw mapClerkError(error, { service, now: clock.now() });
        }
      },
      { operation: spec.operation, idempotent: spec.idempotent, signal: spec.signal },
    );
  }
}
