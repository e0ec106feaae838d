import { classifyError } from '../classify/classify-error';
import { type Clock, systemClock } from '../clock/clock';
import type { ResilientError } from '../errors/resilient-error';
import type { ResiliencePlugin } from '../hooks/plugin';
import { emit, PluginSet, registeredOnly } from '../hooks/plugin-set';
import {
  type AttemptFunction,
  type ExecuteOptions,
  Execution,
  type ExecutionConfig,
} from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { runAttempt } from '../internal/run-attempt';
import { checkBoolean, checkString } from '../internal/validate';

/** Options every policy accepts. */
export interface PolicyOptions {
  /** The service the calls go to, such as `stripe`; stamped on errors and events. */
  service?: string;
  /** The default operation name for hooks and traces. Default: `execute`. */
  operation?: string;
  /** Whether calls through this policy are idempotent unless `execute` says otherwise. Default: `false`. */
  idempotent?: boolean;
  /** Plugins that observe calls that enter through this policy (in addition to registered ones). */
  plugins?: readonly ResiliencePlugin[];
  /** The clock. Default: the system clock. */
  clock?: Clock;
}

/** A resilience policy: anything with `execute`. Policies compose with `pipeline`. */
export interface Policy {
  /**
   * Runs `fn` under the policy. Resolves with its result or rejects with a `ResilientError`: never
   * `undefined` by accident, never a hang (given a timeout), never an unhandled rejection.
   */
  execute<T>(fn: AttemptFunction<T>, options?: ExecuteOptions): Promise<T>;
}

/** @internal The next step after a policy in a pipeline; `undefined` means "run the attempt". */
export interface Link {
  readonly policy: PolicyBase;
  readonly next: Link | undefined;
}

/** @internal Runs the rest of the chain. */
export function proceed<T>(
  fn: AttemptFunction<T>,
  execution: Execution,
  next: Link | undefined,
): T | PromiseLike<T> {
  return next === undefined ? runAttempt(fn, execution) : next.policy.run(fn, execution, next.next);
}

/** @internal Options shared by every policy, resolved once. */
export function resolvePolicyOptions(
  owner: string,
  options: PolicyOptions,
): ExecutionConfig & { plugins: PluginSet } {
  const plugins = options.plugins;
  if (plugins !== undefined && !Array.isArray(plugins))
    throw new TypeError(`${owner}: plugins must be an array of plugins`);
  const clock = options.clock ?? systemClock;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError(`${owner}: clock must have now(), setTimeout() and clearTimeout()`);
  }
  const service = checkString(owner, 'service', options.service);
  const operation = checkString(owner, 'operation', options.operation) ?? 'execute';
  const idempotent = checkBoolean(owner, 'idempotent', options.idempotent, false);
  const ownPlugins = plugins !== undefined && plugins.length > 0;
  // Policies built with no shared option share one configuration: ten thousand breakers, one object.
  if (
    service === undefined &&
    operation === 'execute' &&
    !idempotent &&
    clock === systemClock &&
    !ownPlugins
  ) {
    DEFAULT_CONFIG ??= Object.freeze({ service, operation, idempotent, clock, plugins: registeredOnly() });
    return DEFAULT_CONFIG;
  }
  return {
    service,
    operation,
    idempotent,
    clock,
    plugins: ownPlugins ? new PluginSet(plugins) : registeredOnly(),
  };
}

let DEFAULT_CONFIG: (ExecutionConfig & { plugins: PluginSet }) | undefined;

/** The base of every policy in this package: the shared `execute`. Extend it only through the factories. */
export abstract class PolicyBase implements Policy {
  /** @internal */
  readonly config: ExecutionConfig & { plugins: PluginSet };

  /** @internal */
  protected constructor(config: ExecutionConfig & { plugins: PluginSet }) {
    this.config = config;
  }

  /** @internal This policy's step: do its work around `proceed(fn, execution, next)`. */
  abstract run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T>;

  execute<T>(fn: AttemptFunction<T>, options?: ExecuteOptions): Promise<T> {
    return executeOperation(this, this.config, fn, options);
  }
}

/**
 * @internal The error a step passes outward: classified, with the attempts made so far. Every policy's
 * `run` rejects only with errors that went through here, so the entry policy's promise can be handed to
 * the caller as it is.
 */
export function failure(raw: unknown, execution: Execution): ResilientError {
  const error = classifyError(raw, { service: execution.service });
  error.attempts = execution.attemptsRun;
  // The error speaks for the operation: once any attempt may have been applied, so may the operation.
  if (error.outcome === 'unknown') {
    if (execution.attemptsRun > 0) execution.mayHaveApplied = true;
  } else if (execution.mayHaveApplied) {
    error.outcome = 'unknown';
  }
  return error;
}

/**
 * @internal Starts one operation at `entry`. Without plugins and without a caller signal, the entry
 * policy's own promise is the result: no wrapper, no extra await.
 */
function executeOperation<T>(
  entry: PolicyBase,
  config: ExecutionConfig & { plugins: PluginSet },
  fn: AttemptFunction<T>,
  options: ExecuteOptions | undefined,
): Promise<T> {
  if (typeof fn !== 'function') {
    return rejectLater(
      new TypeError(`${entry.constructor.name}: the function passed to execute must be a function`),
    );
  }
  const plugins = config.plugins.current();
  const execution = new Execution(config, plugins, options);
  if (plugins === undefined && execution.signal === undefined) return entry.run(fn, execution, undefined);
  return executeObserved(entry, execution, fn);
}

async function executeObserved<T>(
  entry: PolicyBase,
  execution: Execution,
  fn: AttemptFunction<T>,
): Promise<T> {
  const plugins = execution.plugins;
  if (plugins !== undefined) emit(plugins, 'onOperationStart', { operation: execution.info });
  try {
    if (execution.terminal !== undefined) throw execution.terminal;
    const value = await entry.run(fn, execution, undefined);
    if (plugins !== undefined)
      endOperation(execution, execution.usedFallback ? 'fallback' : 'success', undefined);
    return value;
  } catch (raw) {
    const error = failure(raw, execution);
    if (plugins !== undefined) endOperation(execution, 'failure', error);
    throw error;
  } finally {
    if (execution.signal !== undefined) execution.dispose();
  }
}

function endOperation(
  execution: Execution,
  outcome: 'success' | 'failure' | 'fallback',
  error: ResilientError | undefined,
): void {
  emit(execution.plugins, 'onOperationEnd', {
    operation: execution.info,
    attempts: execution.attemptsRun,
    durationMs: execution.clock.now() - execution.startedAt,
    outcome,
    error,
  });
}
