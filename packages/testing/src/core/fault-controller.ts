import { checkFault, type Fault } from './fault';
import { type RandomNumber, seededRandom } from './seeded-random';

/** Faults drawn at random, with a seed so that every run draws the same ones. */
export interface RandomFaultOptions {
  /** The seed of the random source: the same seed injects the same faults into the same requests. */
  readonly seed: number;
  /** The chance, from 0 to 1, that a request without a scripted fault gets one. */
  readonly probability: number;
  /** The faults to draw from, each equally likely. */
  readonly faults: readonly Fault[];
}

/** A fault that was applied, and to which request. */
export interface AppliedFault {
  /** The request it was applied to, counted from 1 since the fake started (or was reset). */
  readonly request: number;
  readonly fault: Fault;
  /** Whether it came from the script (`enqueue`, `repeat`) or was drawn at random. */
  readonly source: 'script' | 'random';
}

/**
 * Decides which fault, if any, each request to a fake gets. Scripted faults come first, one per
 * request, in the order they were queued; when the script is empty, a fault may be drawn at random.
 */
export class FaultController {
  private queue: Fault[] = [];
  private random: { next: RandomNumber; probability: number; faults: readonly Fault[] } | undefined;
  private readonly history: AppliedFault[] = [];
  private requests = 0;

  /** Queues faults for the next requests, one per request, in order. */
  enqueue(...faults: Fault[]): this {
    for (const fault of faults) this.queue.push(checkFault(fault));
    return this;
  }

  /** Queues the same fault for each of the next `count` requests. */
  repeat(fault: Fault, count: number): this {
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`repeat: count must be a whole number >= 0, got ${String(count)}`);
    }
    checkFault(fault);
    for (let index = 0; index < count; index++) this.queue.push(fault);
    return this;
  }

  /** Gives each request without a scripted fault a `probability` chance of a fault drawn from `faults`. */
  atRandom(options: RandomFaultOptions): this {
    const { probability, faults } = options;
    if (!(Number.isFinite(probability) && probability >= 0 && probability <= 1)) {
      throw new RangeError(`atRandom: probability must be from 0 to 1, got ${String(probability)}`);
    }
    if (faults.length === 0 && probability > 0) throw new TypeError('atRandom: give at least one fault');
    for (const fault of faults) checkFault(fault);
    this.random = { next: seededRandom(options.seed), probability, faults: [...faults] };
    return this;
  }

  /** Stops drawing faults at random (the script is kept). */
  stopRandom(): this {
    this.random = undefined;
    return this;
  }

  /** Scripted faults not used yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Every fault applied so far, in order. */
  get applied(): readonly AppliedFault[] {
    return this.history;
  }

  /** Forgets the script, the random faults and the history, and counts requests from 1 again. */
  clear(): void {
    this.queue = [];
    this.random = undefined;
    this.history.length = 0;
    this.requests = 0;
  }

  /**
   * The fault for the request arriving now, or `undefined`. Called by a fake once per request; each
   * call counts as one request.
   */
  next(): Fault | undefined {
    this.requests++;
    const scripted = this.queue.shift();
    if (scripted !== undefined) return this.record(scripted, 'script');
    const random = this.random;
    if (random === undefined || random.faults.length === 0) return undefined;
    // Two draws per request, always: whether a fault happens, and which one.
    const happens = random.next() < random.probability;
    const pick = random.faults[Math.floor(random.next() * random.faults.length)];
    return happens && pick !== undefined ? this.record(pick, 'random') : undefined;
  }

  private record(fault: Fault, source: AppliedFault['source']): Fault {
    this.history.push({ request: this.requests, fault, source });
    return fault;
  }
}
