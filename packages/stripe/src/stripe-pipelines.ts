import { type ResilientOptions, type ResilientPipeline, resilient } from '@resilient/core';
import type { BreakerScope } from './resilient-stripe-options';

/**
 * The `resilient()` pipelines of one client: one for every call (`client` scope), or one per Stripe
 * resource, built on first use, each with its own breaker named `<service>:<resource>` (`resource`
 * scope). The options are checked once, when this is built, by building a pipeline.
 */
export class StripePipelines {
  private readonly shared: ResilientPipeline | undefined;
  private readonly byResource = new Map<string, ResilientPipeline>();

  constructor(
    private readonly options: ResilientOptions,
    scope: BreakerScope,
  ) {
    const first = resilient(options);
    this.shared = scope === 'client' ? first : undefined;
  }

  /** The pipeline calls to `resource` run through; `resource` may be left out in `client` scope only. */
  for(resource: string | undefined): ResilientPipeline {
    if (this.shared !== undefined) return this.shared;
    if (resource === undefined || resource === '')
      throw new TypeError(
        'pipelineFor: give the resource, such as "customers": with breakerScope "resource", each has its own pipeline',
      );
    let pipeline = this.byResource.get(resource);
    if (pipeline === undefined) {
      pipeline = resilient(this.withBreakerName(resource));
      this.byResource.set(resource, pipeline);
    }
    return pipeline;
  }

  private withBreakerName(resource: string): ResilientOptions {
    const breaker = this.options.circuitBreaker;
    if (breaker === false) return this.options;
    const name = `${this.options.service}:${resource}`;
    return { ...this.options, circuitBreaker: { ...breaker, name } };
  }
}
