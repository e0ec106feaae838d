/**
 * A model-based test: random command sequences run against the real breaker and against a small
 * reference model of the state machine written from the specification, and the two must agree after
 * every step: the state, which calls were let through, what the rejected callers were told, the
 * transitions listeners saw, and the snapshot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, type Settled, settle } from '../../../test/helpers';
import type { Clock } from '../../clock/clock';
import { CancelledError } from '../../errors/cancelled-error';
import { CircuitOpenError } from '../../errors/circuit-open-error';
import { type CircuitBreakerPolicy, circuitBreaker } from './circuit-breaker';
import type { CircuitState } from './circuit-state';

// ---------------------------------------------------------------------------------------------
// The reference model
// ---------------------------------------------------------------------------------------------

interface Config {
  readonly threshold: number;
  readonly probes: number;
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly probeTimeoutMs: number;
}

/** How a call ends: a success, a 503, a 400, a plain bug, a cancellation by the caller, or never. */
type Ending = 'success' | 'provider-failure' | 'caller-mistake' | 'bug' | 'cancel' | 'hang';

/** A call the model let through. */
interface ModelCall {
  /** The model's epoch when the call was let through; a result from an older epoch is ignored. */
  readonly epoch: number;
  readonly probe: boolean;
  readonly startedAt: number;
}

type Admission =
  | { readonly admitted: true; readonly call: ModelCall }
  | { readonly admitted: false; readonly retryAfterMs: number; readonly isolated: boolean };

/**
 * The specification, as plainly as it can be written:
 * - closed: every call goes through; `threshold` provider failures in a row open it; a success or a
 *   caller mistake (the provider answered) resets the count; bugs and cancellations count for nothing;
 * - open: calls are rejected until the break ends (`initialMs * factor^(opens - 1)`, at most `maxMs`);
 *   the first call after it turns the breaker half-open;
 * - half-open: at most `probes` calls run at once; the others are rejected, told to come back when the
 *   oldest probe times out. `probes` successful probes close it; one failed probe re-opens it; a probe
 *   older than `probeTimeoutMs` when a caller finds no free slot counts as failed (re-open, caller
 *   rejected). A cancelled or buggy probe frees its slot;
 * - isolated: everything is rejected until reset;
 * - every change of state (and every reset) starts a new epoch: results of calls let through in an
 *   earlier epoch are ignored.
 */
class BreakerModel {
  state: CircuitState = 'closed';
  failuresInARow = 0;
  opens = 0;
  openUntil = 0;
  epoch = 0;
  running: ModelCall[] = [];
  probeSuccesses = 0;
  admitted = 0;
  rejected = 0;
  readonly transitions: string[] = [];

  constructor(
    readonly config: Config,
    public now: number,
  ) {}

  private enter(to: CircuitState): void {
    if (to !== this.state) this.transitions.push(`${this.state}->${to}`);
    this.state = to;
    this.epoch++;
    this.running = [];
    this.probeSuccesses = 0;
  }

  private open(): void {
    this.opens++;
    const { initialMs, factor, maxMs } = this.config;
    this.openUntil = this.now + Math.min(maxMs, initialMs * factor ** (this.opens - 1));
    this.failuresInARow = 0;
    this.enter('open');
  }

  private close(): void {
    this.opens = 0;
    this.openUntil = 0;
    this.failuresInARow = 0;
    this.enter('closed');
  }

  private reject(retryAfterMs: number, isolated = false): Admission {
    this.rejected++;
    return { admitted: false, retryAfterMs, isolated };
  }

  private let(probe: boolean): Admission {
    this.admitted++;
    const call: ModelCall = { epoch: this.epoch, probe, startedAt: this.now };
    if (probe) this.running.push(call);
    return { admitted: true, call };
  }

  start(): Admission {
    if (this.state === 'isolated') return this.reject(this.config.initialMs, true);
    if (this.state === 'closed') return this.let(false);
    if (this.state === 'open') {
      if (this.now < this.openUntil) return this.reject(this.openUntil - this.now);
      this.enter('half-open');
    }
    if (this.running.length < this.config.probes) return this.let(true);
    const oldest = Math.min(...this.running.map((call) => call.startedAt));
    if (this.now - oldest >= this.config.probeTimeoutMs) {
      this.open();
      return this.reject(this.openUntil - this.now);
    }
    return this.reject(oldest + this.config.probeTimeoutMs - this.now);
  }

  end(call: ModelCall, ending: Exclude<Ending, 'hang'>): void {
    if (call.epoch !== this.epoch) return;
    if (ending === 'bug' || ending === 'cancel') {
      this.running = this.running.filter((running) => running !== call);
      return;
    }
    const healthy = ending === 'success' || ending === 'caller-mistake';
    if (this.state === 'closed') {
      if (healthy) this.failuresInARow = 0;
      else if (++this.failuresInARow >= this.config.threshold) this.open();
      return;
    }
    // Same epoch and not closed: the call is a probe of this half-open period.
    if (!healthy) {
      this.open();
      return;
    }
    this.running = this.running.filter((running) => running !== call);
    if (++this.probeSuccesses >= this.config.probes) this.close();
  }

  isolate(): void {
    this.failuresInARow = 0;
    this.enter('isolated');
  }

  reset(): void {
    this.close();
  }

  get retryAfterMs(): number {
    return this.state === 'open' ? Math.max(0, this.openUntil - this.now) : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The real system
// ---------------------------------------------------------------------------------------------

/** A clock that moves only by hand and refuses timers: a breaker must not set any. */
class ManualClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  setTimeout(): unknown {
    throw new Error('a circuit breaker set a timer');
  }
  clearTimeout(): void {
    throw new Error('a circuit breaker cleared a timer');
  }
}

interface RealCall {
  readonly invoked: () => boolean;
  readonly result: Promise<Settled<string>>;
  finish(ending: Exclude<Ending, 'hang'>): void;
}

function startRealCall(breaker: CircuitBreakerPolicy, ending: Ending): RealCall {
  let invoked = false;
  let resolve!: (value: string) => void;
  let reject!: (error: unknown) => void;
  const gate = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Calls that may be cancelled (now or, once hung, later) get a signal; the others take the fast path.
  const controller = ending === 'cancel' || ending === 'hang' ? new AbortController() : undefined;
  const result = settle(
    breaker.execute(
      () => {
        invoked = true;
        return gate;
      },
      controller === undefined ? undefined : { signal: controller.signal },
    ),
  );
  return {
    invoked: () => invoked,
    result,
    finish(how) {
      if (how === 'success') resolve('ok');
      else if (how === 'provider-failure') reject(httpError(503));
      else if (how === 'caller-mistake') reject(httpError(400));
      else if (how === 'bug') reject(new TypeError('bug in the function'));
      else if (controller !== undefined) controller.abort(new Error('caller gave up'));
      else throw new Error('only calls started with a signal can be cancelled');
    },
  };
}

interface Real {
  readonly breaker: CircuitBreakerPolicy;
  readonly clock: ManualClock;
  readonly transitions: string[];
  /** Calls that hung, in the real system and in the model, side by side. */
  readonly hung: { real: RealCall; model: ModelCall }[];
  /** Calls that ran the function, and calls the breaker turned away. */
  readonly counts: { admitted: number; rejected: number };
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

async function checkCall(real: RealCall, admission: Admission, ending: Ending): Promise<void> {
  expect(real.invoked()).toBe(admission.admitted);
  if (admission.admitted) {
    if (ending === 'hang') return;
    const result = await real.result;
    if (ending === 'success') expect(result).toEqual({ ok: true, value: 'ok' });
    else if (ending === 'cancel') expect(!result.ok && CancelledError.isInstance(result.error)).toBe(true);
    else expect(result.ok).toBe(false);
    return;
  }
  const result = await real.result;
  expect(result.ok).toBe(false);
  const error = !result.ok ? result.error : undefined;
  expect(CircuitOpenError.isInstance(error)).toBe(true);
  expect(error.outcome).toBe('not-sent');
  expect(error.isolated).toBe(admission.isolated);
  expect(error.retryAfterMs).toBe(admission.retryAfterMs);
}

function checkAgree(model: BreakerModel, real: Real): void {
  const { breaker } = real;
  expect(breaker.state).toBe(model.state);
  expect(breaker.retryAfterMs).toBe(model.retryAfterMs);
  expect(real.transitions).toEqual(model.transitions);
  expect(real.counts).toEqual({ admitted: model.admitted, rejected: model.rejected });
  const snapshot = breaker.snapshot();
  expect(snapshot.state).toBe(model.state);
  expect(snapshot.consecutiveOpens).toBe(model.opens);
  if (model.state === 'open') expect(snapshot.openUntil).toBe(model.openUntil);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

type Command = fc.AsyncCommand<BreakerModel, Real>;

/** Starts calls together (at the same instant), then ends them one by one in the given order. */
class CallsCommand implements Command {
  constructor(readonly calls: readonly { ending: Ending; order: number }[]) {}

  check(): boolean {
    return true;
  }

  async run(model: BreakerModel, real: Real): Promise<void> {
    const started = this.calls.map(({ ending }) => ({
      ending,
      real: startRealCall(real.breaker, ending),
      admission: model.start(),
    }));
    for (const call of started) {
      expect(call.real.invoked()).toBe(call.admission.admitted);
      if (call.real.invoked()) real.counts.admitted++;
      else real.counts.rejected++;
    }
    const order = [...started.keys()].sort((a, b) => this.calls[a]!.order - this.calls[b]!.order || a - b);
    for (const index of order) {
      const call = started[index]!;
      if (call.admission.admitted && call.ending !== 'hang') call.real.finish(call.ending);
      await checkCall(call.real, call.admission, call.ending);
      if (call.admission.admitted) {
        if (call.ending === 'hang') real.hung.push({ real: call.real, model: call.admission.call });
        else model.end(call.admission.call, call.ending);
      }
      checkAgree(model, real);
    }
  }

  toString(): string {
    const byOrder = [...this.calls].map((call, index) => `${index}:${call.ending}@${call.order}`);
    return `calls(${byOrder.join(', ')})`;
  }
}

/** Ends a call that hung earlier, late. */
class EndHungCommand implements Command {
  constructor(
    readonly pick: number,
    readonly ending: Exclude<Ending, 'hang'>,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: BreakerModel, real: Real): Promise<void> {
    if (real.hung.length === 0) return;
    const [hung] = real.hung.splice(this.pick % real.hung.length, 1);
    hung!.real.finish(this.ending);
    await hung!.real.result;
    model.end(hung!.model, this.ending);
    checkAgree(model, real);
  }

  toString(): string {
    return `endHung(${this.pick}, ${this.ending})`;
  }
}

class AdvanceCommand implements Command {
  constructor(readonly ms: number) {}

  check(): boolean {
    return true;
  }

  async run(model: BreakerModel, real: Real): Promise<void> {
    model.now += this.ms;
    real.clock.time += this.ms;
    checkAgree(model, real);
  }

  toString(): string {
    return `advance(${this.ms})`;
  }
}

class IsolateCommand implements Command {
  check(): boolean {
    return true;
  }

  async run(model: BreakerModel, real: Real): Promise<void> {
    model.isolate();
    real.breaker.isolate();
    checkAgree(model, real);
  }

  toString(): string {
    return 'isolate()';
  }
}

class ResetCommand implements Command {
  check(): boolean {
    return true;
  }

  async run(model: BreakerModel, real: Real): Promise<void> {
    model.reset();
    real.breaker.reset();
    checkAgree(model, real);
  }

  toString(): string {
    return 'reset()';
  }
}

const endingArb = fc.constantFrom<Ending>(
  'success',
  'provider-failure',
  'provider-failure',
  'caller-mistake',
  'bug',
  'cancel',
  'hang',
);

const single = (ending: Ending): fc.Arbitrary<Command> =>
  fc.constant(new CallsCommand([{ ending, order: 0 }]));

const endHungArb = fc
  .tuple(
    fc.nat(),
    fc.constantFrom<Exclude<Ending, 'hang'>>(
      'success',
      'provider-failure',
      'caller-mistake',
      'bug',
      'cancel',
    ),
  )
  .map(([pick, ending]): Command => new EndHungCommand(pick, ending));

const advanceArb = fc
  .oneof(
    fc.integer({ min: 1, max: 400 }),
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom(1, 99, 100, 299, 300, 499, 500, 999, 1000, 1999, 2000, 4000),
  )
  .map((ms): Command => new AdvanceCommand(ms));

/** One weighted choice per command: failures often enough to open, isolation rarely enough to leave it. */
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  // One call at a time.
  { weight: 6, arbitrary: single('success') },
  { weight: 10, arbitrary: single('provider-failure') },
  { weight: 2, arbitrary: single('caller-mistake') },
  // Calls that hang, to be ended late (or never): hung probes, and late results from an older state.
  { weight: 6, arbitrary: single('hang') },
  { weight: 6, arbitrary: endHungArb },
  // Concurrent calls (while half-open, this is where the probe limit shows), ended in any order.
  {
    weight: 6,
    arbitrary: fc
      .array(fc.record({ ending: endingArb, order: fc.nat({ max: 10 }) }), { minLength: 2, maxLength: 5 })
      .map((calls): Command => new CallsCommand(calls)),
  },
  { weight: 10, arbitrary: advanceArb },
  { weight: 1, arbitrary: fc.constant<Command>(new IsolateCommand()) },
  { weight: 1, arbitrary: fc.constant<Command>(new ResetCommand()) },
);

const configArb: fc.Arbitrary<Config> = fc
  .record({
    threshold: fc.integer({ min: 1, max: 4 }),
    probes: fc.integer({ min: 1, max: 3 }),
    initialMs: fc.constantFrom(100, 500, 1000),
    factor: fc.constantFrom(1, 2, 3),
    maxMultiple: fc.constantFrom(1, 4, 10),
    probeTimeoutMs: fc.constantFrom(300, 2000),
  })
  .map(({ maxMultiple, ...rest }) => ({ ...rest, maxMs: rest.initialMs * maxMultiple }));

describe('circuitBreaker against a reference model', () => {
  it('should agree with the model on state, admissions, rejections and transitions after every command', async () => {
    await fc.assert(
      fc.asyncProperty(
        configArb,
        fc.commands([commandArb], { maxCommands: 60, size: 'max' }),
        async (config, commands) => {
          const start = 1_750_000_000_000;
          const setup = () => {
            const clock = new ManualClock(start);
            const breaker = circuitBreaker({
              clock,
              strategy: { type: 'consecutive', threshold: config.threshold },
              breakDuration: {
                initialMs: config.initialMs,
                factor: config.factor,
                maxMs: config.maxMs,
                jitter: 0,
              },
              halfOpenProbes: config.probes,
              probeTimeoutMs: config.probeTimeoutMs,
            });
            const transitions: string[] = [];
            breaker.onStateChange(({ from, to }) => transitions.push(`${from}->${to}`));
            const real: Real = {
              breaker,
              clock,
              transitions,
              hung: [],
              counts: { admitted: 0, rejected: 0 },
            };
            return { model: new BreakerModel(config, start), real };
          };
          await fc.asyncModelRun(setup, commands);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should agree with the model on a scripted half-open race with hung, failed and cancelled probes', async () => {
    // A fixed sequence through the interesting corners, so they are covered on every run.
    const config: Config = {
      threshold: 2,
      probes: 2,
      initialMs: 1000,
      factor: 2,
      maxMs: 8000,
      probeTimeoutMs: 2000,
    };
    const start = 1_750_000_000_000;
    const clock = new ManualClock(start);
    const breaker = circuitBreaker({
      clock,
      strategy: { type: 'consecutive', threshold: config.threshold },
      breakDuration: { initialMs: config.initialMs, factor: config.factor, maxMs: config.maxMs, jitter: 0 },
      halfOpenProbes: config.probes,
      probeTimeoutMs: config.probeTimeoutMs,
    });
    const transitions: string[] = [];
    breaker.onStateChange(({ from, to }) => transitions.push(`${from}->${to}`));
    const model = new BreakerModel(config, start);
    const real: Real = { breaker, clock, transitions, hung: [], counts: { admitted: 0, rejected: 0 } };
    const commands: Command[] = [
      new CallsCommand([{ ending: 'provider-failure', order: 0 }]),
      new CallsCommand([{ ending: 'provider-failure', order: 0 }]),
      new AdvanceCommand(1000),
      // Two probes (one hangs, one is cancelled and frees its slot); the third caller is turned away.
      new CallsCommand([
        { ending: 'hang', order: 0 },
        { ending: 'cancel', order: 1 },
        { ending: 'success', order: 2 },
      ]),
      new CallsCommand([{ ending: 'hang', order: 0 }]),
      // Both probes hung for probeTimeoutMs: the next caller declares them failed.
      new AdvanceCommand(2000),
      new CallsCommand([{ ending: 'success', order: 0 }]),
      new AdvanceCommand(2000),
      new CallsCommand([{ ending: 'hang', order: 0 }]),
      // The old hung probes succeed during the new half-open period: that must not close it.
      new EndHungCommand(0, 'success'),
      new EndHungCommand(0, 'success'),
      new CallsCommand([
        { ending: 'success', order: 1 },
        { ending: 'success', order: 0 },
      ]),
      // The current probe ends: both probes of this period succeeded.
      new EndHungCommand(0, 'success'),
    ];
    for (const command of commands) await command.run(model, real);
    expect(transitions).toEqual([
      'closed->open',
      'open->half-open',
      'half-open->open',
      'open->half-open',
      'half-open->closed',
    ]);
    expect(breaker.state).toBe('closed');
    expect(real.counts).toEqual({ admitted: 7, rejected: 3 });
    expect(real.hung).toHaveLength(0);
  });
});
