import { RejectedError } from '../errors/rejected-error';
import type { ResilientError } from '../errors/resilient-error';
import { emit } from '../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { checkKeys, checkObject, optionalNumber } from '../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from './policy';

/** Options of {@link bulkhead}. */
export interface BulkheadOptions extends PolicyOptions {
  /** Calls allowed to run at once. Default: 10. */
  maxConcurrent?: number;
  /** Calls allowed to wait for a slot, first in first out; more are rejected. Default: 0. */
  maxQueue?: number;
}

const KEYS = ['maxConcurrent', 'maxQueue', 'service', 'operation', 'idempotent', 'plugins', 'clock'];

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: ResilientError) => void;
}

/**
 * Caps how many calls run at once, with a bounded queue. A call beyond both is rejected at once with a
 * `RejectedError` (`bulkhead-rejected`), so a slow provider cannot tie up every request of your app.
 * A queued call leaves the queue when its caller aborts or its timeout fires.
 */
export function bulkhead(options: BulkheadOptions = {}): BulkheadPolicy {
  return new BulkheadPolicy(options);
}

/** The policy {@link bulkhead} builds. */
export class BulkheadPolicy extends PolicyBase {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(options: BulkheadOptions = {}) {
    const record = checkObject('bulkhead', 'options', options);
    checkKeys('bulkhead', record, KEYS);
    super(resolvePolicyOptions('bulkhead', options));
    this.maxConcurrent = optionalNumber('bulkhead', 'maxConcurrent', options.maxConcurrent, 10, {
      min: 1,
      max: 1_000_000,
      integer: true,
    });
    this.maxQueue = optionalNumber('bulkhead', 'maxQueue', options.maxQueue, 0, {
      min: 0,
      max: 1_000_000,
      integer: true,
    });
  }

  /** Calls running now. */
  get executing(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    try {
      const waiting = this.acquire(execution);
      if (waiting !== undefined) await waiting;
    } catch (raw) {
      throw failure(raw, execution);
    }
    try {
      return await proceed(fn, execution, next);
    } catch (raw) {
      throw failure(raw, execution);
    } finally {
      this.release();
    }
  }

  /** @internal Takes a slot; returns a promise to wait on when the call is queued. Undo with `release`. */
  acquire(execution: Execution): Promise<void> | undefined {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return undefined;
    }
    return this.wait(execution);
  }

  private wait(execution: Execution): Promise<void> {
    if (this.queue.length >= this.maxQueue) {
      const error = new RejectedError({
        rejectedBy: 'bulkhead',
        message: `Bulkhead${execution.service ? ` for ${execution.service}` : ''} is full: ${this.maxConcurrent} running, ${this.queue.length} queued`,
        service: execution.service,
      });
      if (execution.plugins !== undefined)
        emit(execution.plugins, 'onRejected', { operation: execution.info, rejectedBy: 'bulkhead', error });
      return rejectLater(error);
    }
    if (execution.terminal !== undefined) return rejectLater(execution.terminal);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          if (execution.waiter === waiter.reject) execution.waiter = undefined;
          resolve();
        },
        reject: (error) => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(error);
        },
      };
      this.queue.push(waiter);
      execution.waiter = waiter.reject;
      execution.attemptInFlight = false;
    });
  }

  /** @internal Gives a slot back, to the next queued call if there is one. */
  release(): void {
    const waiter = this.queue.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (waiter !== undefined) waiter.resolve();
    else this.active--;
  }
}
