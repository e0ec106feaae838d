import { type AttemptContext, ResilientError, type ResilientPipeline } from '@resilient/core';
import { type RotatingClient, rotatingClient, type Secret } from '@resilient/secrets';
import { mapStripeError } from './map-stripe-error';
import type { ResolvedStripeOptions } from './resilient-stripe-options';
import type { StripeHttpMethod } from './stripe-http-method';
import { StripePipelines } from './stripe-pipelines';

/** How much longer than the attempt stripe-node may wait for a request, in ms. */
export const SDK_TIMEOUT_GRACE_MS = 100;

/** The request options the client sets on every attempt (a subset of stripe-node's `RequestOptions`). */
export interface AttemptRequestOptions {
  /** Always 0: the client's retry policy is the only one that retries. */
  readonly maxNetworkRetries: 0;
  /** The operation's key on a POST, the same on every attempt (and on stripe-node's own retry). */
  readonly idempotencyKey?: string;
  /** What is left of the attempt's time (and a short grace), so stripe-node gives up on the request too. */
  readonly timeout?: number;
  /** The source's current secret key, when the client has an `apiKey` option (and the call gave none). */
  readonly apiKey?: string;
}

/** One logical call to Stripe. */
export interface StripeCallSpec {
  /** The operation's name, such as `customers.create`. */
  readonly operation: string;
  /** The resource it belongs to, such as `customers`: picks the pipeline in `resource` breaker scope. */
  readonly resource: string;
  readonly method: StripeHttpMethod;
  /** The caller's idempotency key, which wins over a generated one. */
  readonly idempotencyKey?: string | undefined;
  /** The caller's timeout for one request, in ms, which stays in force when shorter than the attempt's. */
  readonly timeout?: number | undefined;
  /** The caller's signal: aborting it ends the operation with a `CancelledError`. */
  readonly signal?: AbortSignal | undefined;
  /** The caller gave its own `apiKey` for this call: the client's `apiKey` source is not used. */
  readonly callerApiKey?: boolean | undefined;
}

/**
 * Runs logical Stripe calls through the client's pipeline. A POST gets one idempotency key for the
 * whole operation, the caller's or a generated one, sent on every attempt, so that a retry after a lost
 * answer is applied once; GETs and DELETEs are repeatable and carry none. Every attempt tells stripe-node
 * not to retry by itself, and every error is mapped with {@link mapStripeError}. With an `apiKey`
 * source, every request carries its current key, and a request refused for its key is sent once more,
 * within the same attempt and under the same idempotency key, when the source has a rotated one.
 */
export class StripeCallRunner {
  private readonly pipelines: StripePipelines;
  private readonly keys: RotatingClient<Secret> | undefined;

  constructor(
    private readonly options: ResolvedStripeOptions,
    private readonly sdkTimeoutMs: number | undefined,
  ) {
    this.pipelines = new StripePipelines(options.pipeline, options.breakerScope);
    this.keys =
      options.apiKey === undefined
        ? undefined
        : rotatingClient(options.apiKey, { service: options.service, build: (key) => key });
  }

  /** The pipeline calls to `resource` run through: its `breaker` is what a health check reports. */
  pipelineFor(resource: string | undefined): ResilientPipeline {
    return this.pipelines.for(resource);
  }

  /** Runs `send` under the pipeline, handing it the request options of each attempt. */
  run<T>(
    spec: StripeCallSpec,
    send: (requestOptions: AttemptRequestOptions) => T | PromiseLike<T>,
  ): Promise<Awaited<T>> {
    let idempotencyKey: string | undefined;
    try {
      idempotencyKey = spec.method === 'POST' ? this.keyFor(spec) : undefined;
    } catch (error) {
      return Promise.reject(error);
    }
    const service = this.options.service;
    return this.pipelines.for(spec.resource).execute(
      (context): Promise<Awaited<T>> => {
        const request = async (apiKey: string | undefined): Promise<Awaited<T>> => {
          const timeout = this.timeoutFor(context, spec.timeout);
          const requestOptions: AttemptRequestOptions = {
            maxNetworkRetries: 0,
            ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
            ...(timeout === undefined ? {} : { timeout }),
            ...(apiKey === undefined ? {} : { apiKey }),
          };
          try {
            return await send(requestOptions);
          } catch (error) {
            throw mapStripeError(error, { service, now: this.options.clock.now() });
          }
        };
        if (this.keys === undefined || spec.callerApiKey === true) return request(undefined);
        // A key refused (401) is read again once; a rotated one resends, under the same idempotency key.
        return this.keys.run((key) => request(key.reveal()));
      },
      {
        operation: spec.operation,
        signal: spec.signal,
        idempotencyKey,
        idempotent: spec.method !== 'POST',
      },
    );
  }

  private keyFor(spec: StripeCallSpec): string {
    const given = spec.idempotencyKey;
    const key = given ?? this.options.generateIdempotencyKey();
    if (typeof key === 'string' && key.length > 0 && key.length <= 255) return key;
    const source = given === undefined ? 'generateIdempotencyKey returned' : 'the idempotencyKey given is';
    throw new ResilientError({
      kind: 'invalid-request',
      outcome: 'not-sent',
      retryable: false,
      service: this.options.service,
      message: `${this.options.service}: ${spec.operation}: ${source} not a string of 1 to 255 characters, as Stripe requires; the request was not sent`,
    });
  }

  /**
   * stripe-node's timeout for the request: the attempt's time left (or the operation's, if less) plus
   * {@link SDK_TIMEOUT_GRACE_MS}, so that the attempt's own timeout is the one that reports and stripe-node
   * lets the socket go just after; a shorter timeout from the caller or the stripe-node client wins.
   */
  private timeoutFor(context: AttemptContext, callerTimeout: number | undefined): number | undefined {
    const attempt: number[] = [];
    if (this.options.attemptTimeoutMs !== undefined) attempt.push(this.options.attemptTimeoutMs);
    if (Number.isFinite(context.deadline)) attempt.push(context.deadline - this.options.clock.now());
    const limits = attempt.length === 0 ? [] : [Math.min(...attempt) + SDK_TIMEOUT_GRACE_MS];
    if (callerTimeout !== undefined) limits.push(callerTimeout);
    if (this.sdkTimeoutMs !== undefined) limits.push(this.sdkTimeoutMs);
    if (limits.length === 0) return undefined;
    return Math.max(1, Math.ceil(Math.min(...limits)));
  }
}
