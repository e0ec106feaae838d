import type { AttemptFunction, Execution } from '../internal/execution';
import { checkKeys, checkObject } from '../internal/validate';
import {
  type Link,
  type Policy,
  PolicyBase,
  type PolicyOptions,
  proceed,
  resolvePolicyOptions,
} from './policy';
import { matchStandard, runStandard, type StandardParts } from './standard-runner';

/** Options of a pipeline: the service, plugins and defaults for calls that enter through it. */
export type PipelineOptions = PolicyOptions;

const KEYS = ['service', 'operation', 'idempotent', 'plugins', 'clock'];

/**
 * Composes policies, outermost first: `pipeline(a, b, c).execute(fn)` runs `a` around `b` around `c`
 * around `fn`. Pass an array and options to name the service or attach plugins:
 * `pipeline([timeout(30_000), retry(), circuitBreaker(), timeout(10_000)], { service: 'stripe' })`.
 *
 * Policies keep their state across pipelines: one breaker in two pipelines is one breaker.
 */
export function pipeline(...policies: Policy[]): Pipeline;
export function pipeline(policies: readonly Policy[], options?: PipelineOptions): Pipeline;
export function pipeline(...args: unknown[]): Pipeline {
  if (Array.isArray(args[0])) {
    if (args.length > 2)
      throw new TypeError('pipeline: pass either policies, or an array of policies and options');
    return new Pipeline(args[0] as Policy[], (args[1] ?? {}) as PipelineOptions);
  }
  return new Pipeline(args as Policy[], {});
}

/** A composition of policies; itself a policy. */
export class Pipeline extends PolicyBase {
  /** The policies, outermost first, nested pipelines flattened. */
  readonly policies: readonly Policy[];
  private readonly first: Link | undefined;
  /** The parts, when the policies are the standard pipeline's: then they run as one loop. */
  private readonly standard: StandardParts | undefined;

  constructor(policies: readonly Policy[], options: PipelineOptions = {}, fuse = true) {
    const record = checkObject('pipeline', 'options', options);
    checkKeys('pipeline', record, KEYS);
    super(resolvePolicyOptions('pipeline', options));
    const flat: PolicyBase[] = [];
    policies.forEach((policy, index) => {
      if (policy instanceof Pipeline) flat.push(...(policy.policies as PolicyBase[]));
      else if (policy instanceof PolicyBase) flat.push(policy);
      else throw new TypeError(`pipeline: policy ${index + 1} is not a policy from @resilient/core`);
    });
    this.policies = Object.freeze(flat);
    let link: Link | undefined;
    for (let index = flat.length - 1; index >= 0; index--) link = { policy: flat[index]!, next: link };
    this.first = link;
    this.standard = fuse ? matchStandard(flat) : undefined;
  }

  /** @internal */
  run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    // Nested pipelines are flattened at construction, so `next` is always undefined here.
    if (this.standard !== undefined) return runStandard(this.standard, fn, execution);
    if (this.first === undefined) return Promise.resolve(proceed(fn, execution, next));
    return this.first.policy.run(fn, execution, this.first.next);
  }
}

/**
 * @internal The same pipeline, run step by step through each policy's own `run` instead of as one loop:
 * the reference the one-loop runner is tested against.
 */
export function nestedPipeline(policies: readonly Policy[], options: PipelineOptions = {}): Pipeline {
  return new Pipeline(policies, options, false);
}
