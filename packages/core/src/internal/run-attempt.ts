import { classifyError } from '../classify/classify-error';
import type { ResilientError } from '../errors/resilient-error';
import type { OperationInfo } from '../hooks/plugin';
import { emit, wrapAttempt } from '../hooks/plugin-set';
import type { AttemptContext, AttemptFunction, Execution } from './execution';
import { rejectLater } from './reject-later';

/** @internal The context of one attempt. */
export class Attempt implements AttemptContext {
  readonly attempt: number;
  private controller: AbortController | undefined = undefined;

  constructor(private readonly execution: Execution) {
    this.attempt = execution.attempt;
  }

  get signal(): AbortSignal {
    let controller = this.controller;
    if (controller === undefined) {
      controller = new AbortController();
      this.controller = controller;
      const execution = this.execution;
      if (execution.terminal !== undefined) controller.abort(execution.terminal);
      else if (execution.current === this) execution.controller = controller;
    }
    return controller.signal;
  }

  /** Aborts this attempt's signal if it was created (the attempt was abandoned). */
  abandon(reason: ResilientError): void {
    const controller = this.controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(reason);
  }

  get idempotencyKey(): string | undefined {
    return this.execution.idempotencyKey;
  }

  get deadline(): number {
    return this.execution.deadline;
  }

  get operation(): OperationInfo {
    return this.execution.info;
  }
}

/**
 * @internal Runs the user's function once, as the innermost step of every policy. Without plugins and
 * without anything that can interrupt the attempt, this is one object and one call.
 */
export function runAttempt<T>(fn: AttemptFunction<T>, execution: Execution): T | PromiseLike<T> {
  if (execution.terminal !== undefined) return rejectLater(execution.terminal);
  if (execution.attempt === 0) execution.attempt = 1;
  execution.attemptsRun++;
  const context = new Attempt(execution);
  execution.current = context;
  execution.controller = undefined;
  if (execution.plugins !== undefined) return runObservedAttempt(fn, execution, context);
  const pending = invoke(fn, context);
  return execution.interruptible ? race(pending, execution) : pending;
}

function invoke<T>(fn: AttemptFunction<T>, context: Attempt): T | PromiseLike<T> {
  try {
    return fn(context);
  } catch (error) {
    return rejectLater(error);
  }
}

async function runObservedAttempt<T>(
  fn: AttemptFunction<T>,
  execution: Execution,
  context: Attempt,
): Promise<T> {
  const plugins = execution.plugins;
  const startedAt = plugins === undefined ? 0 : execution.clock.now();
  let pending: T | PromiseLike<T>;
  if (plugins === undefined) {
    pending = invoke(fn, context);
  } else {
    const event = { operation: execution.info, attempt: execution.attempt, delayMs: execution.delayMs };
    emit(plugins, 'onAttemptStart', event);
    pending = wrapAttempt(plugins, event, () => invoke(fn, context));
  }
  try {
    const value = execution.interruptible ? await race(pending, execution) : await pending;
    if (plugins !== undefined) {
      const durationMs = execution.clock.now() - startedAt;
      emit(plugins, 'onAttemptEnd', {
        operation: execution.info,
        attempt: context.attempt,
        durationMs,
        error: undefined,
        kind: undefined,
      });
    }
    return value;
  } catch (raw) {
    const error = classifyError(raw, { service: execution.service, now: execution.clock.now() });
    context.abandon(error);
    if (plugins !== undefined) {
      const durationMs = execution.clock.now() - startedAt;
      emit(plugins, 'onAttemptEnd', {
        operation: execution.info,
        attempt: context.attempt,
        durationMs,
        error,
        kind: error.kind,
      });
    }
    throw error;
  } finally {
    if (execution.current === context) {
      execution.current = undefined;
      execution.controller = undefined;
    }
  }
}

/**
 * Settles with the attempt, or rejects as soon as the execution is interrupted. The waiter is left in
 * place after the attempt settles: calling a settled promise's `reject` does nothing, and the next wait
 * replaces it.
 */
function race<T>(pending: T | PromiseLike<T>, execution: Execution): Promise<T> {
  if (execution.terminal !== undefined) return rejectLater(execution.terminal);
  return new Promise<T>((resolve, reject) => {
    execution.waiter = reject;
    execution.attemptInFlight = true;
    Promise.resolve(pending).then(resolve, reject);
  });
}
