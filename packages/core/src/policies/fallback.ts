import { type ErrorKind, isErrorKind } from '../errors/error-kind';
import type { ResilientError } from '../errors/resilient-error';
import { emit } from '../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { checkFunction, checkKeys, checkObject } from '../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from './policy';

/** Options of {@link fallback}. Give exactly one of `value` and `handler`. */
export interface FallbackOptions<R = unknown> extends PolicyOptions {
  /** The result to use instead. */
  value?: R;
  /** Computes the result to use instead, from the error. May be async; what it throws reaches the caller. */
  handler?: (error: ResilientError) => R | PromiseLike<R>;
  /**
   * When to fall back: a list of kinds or a predicate. Default: the provider is failing or unreachable
   * (`server`, `unavailable`, `network`, `timeout`, `rate-limit`, `circuit-open`, `bulkhead-rejected`,
   * `rate-limiter-rejected`). Never for `cancelled`: the caller gave up.
   */
  when?: readonly ErrorKind[] | ((error: ResilientError) => boolean);
}

const KEYS = ['value', 'handler', 'when', 'service', 'operation', 'idempotent', 'plugins', 'clock'];

const DEFAULT_KINDS: readonly ErrorKind[] = [
  'server',
  'unavailable',
  'network',
  'timeout',
  'rate-limit',
  'circuit-open',
  'bulkhead-rejected',
  'rate-limiter-rejected',
];

/**
 * Replaces a failure with a value, or with what `handler` returns, for the kinds you choose; by default
 * whenever the provider is failing, including when the circuit breaker is open.
 */
export function fallback<R>(options: FallbackOptions<R>): FallbackPolicy<R> {
  return new FallbackPolicy(options);
}

/** The policy {@link fallback} builds. */
export class FallbackPolicy<R = unknown> extends PolicyBase {
  private readonly handler: (error: ResilientError) => R | PromiseLike<R>;
  private readonly matches: (error: ResilientError) => boolean;

  constructor(options: FallbackOptions<R>) {
    const record = checkObject('fallback', 'options', options);
    checkKeys('fallback', record, KEYS);
    super(resolvePolicyOptions('fallback', options));
    const hasValue = Object.hasOwn(record, 'value');
    const hasHandler = options.handler !== undefined;
    if (hasValue === hasHandler) throw new TypeError('fallback: give exactly one of `value` and `handler`');
    if (hasHandler) {
      this.handler = checkFunction('fallback', 'handler', options.handler);
    } else {
      const value = options.value as R;
      this.handler = () => value;
    }
    const when = options.when;
    if (typeof when === 'function') {
      const predicate = when;
      this.matches = (error) => error.kind !== 'cancelled' && predicate(error);
    } else {
      if (when !== undefined && !Array.isArray(when))
        throw new TypeError('fallback: when must be an array of error kinds or a function');
      for (const kind of when ?? []) {
        if (!isErrorKind(kind))
          throw new TypeError(`fallback: when lists "${String(kind)}", which is not an error kind`);
      }
      const kinds = new Set((when ?? DEFAULT_KINDS).filter((kind) => kind !== 'cancelled'));
      this.matches = (error) => kinds.has(error.kind);
    }
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    try {
      return await proceed(fn, execution, next);
    } catch (raw) {
      return this.recover(failure(raw, execution), execution);
    }
  }

  /** @internal Replaces a matching error with the fallback's result; rethrows any other. */
  async recover<T>(error: ResilientError, execution: Execution): Promise<T> {
    if (execution.terminal?.kind === 'cancelled' || !this.matches(error)) return rejectLater(error);
    if (execution.plugins !== undefined)
      emit(execution.plugins, 'onFallback', { operation: execution.info, error });
    try {
      const result = (await this.handler(error)) as unknown as T;
      execution.usedFallback = true;
      return result;
    } catch (handlerError) {
      throw failure(handlerError, execution);
    }
  }
}
