import { defaultRandom, type RandomSource } from '../../clock/clock';
import { CircuitOpenError } from '../../errors/circuit-open-error';
import { type ErrorKind, KIND_INFO } from '../../errors/error-kind';
import type { ResilientError } from '../../errors/resilient-error';
import type { BreakerStateChangeEvent } from '../../hooks/plugin';
import { reportPluginError } from '../../hooks/plugin-registry';
import { emit } from '../../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../../internal/execution';
import { rejectLater } from '../../internal/reject-later';
import {
  checkBoolean,
  checkFunction,
  checkKeys,
  checkObject,
  checkString,
  optionalNumber,
} from '../../internal/validate';
import { failure, type Link, PolicyBase, proceed, resolvePolicyOptions } from '../policy';
import { type BreakDuration, breakDurationFor, resolveBreakDuration } from './break-duration';
import { type BreakerStrategy, createStrategy, SamplingStrategy } from './breaker-strategy';
import { type CircuitBreakerOptions, KEYS, type StateChangeListener } from './circuit-breaker-options';
import type { CircuitFleetMember, CircuitFleetState } from './circuit-fleet';
import { type CircuitSnapshot, type CircuitStateStore, checkSnapshot } from './circuit-snapshot';
import type { CircuitState } from './circuit-state';
import { NEUTRAL, resolveFailureKinds } from './failure-kinds';

export type { CircuitBreakerOptions, StateChangeListener } from './circuit-breaker-options';

/** What `enter` returns for a call that is not a half-open probe (probe start times are finite). */
const NOT_A_PROBE = Number.NEGATIVE_INFINITY;

/** Shared empty lists, so an idle breaker allocates none of its own. */
const NO_PROBES: number[] = Object.freeze([]) as unknown as number[];
const NO_LISTENERS: ReadonlySet<StateChangeListener> = new Set();

/**
 * Stops calling a provider that is failing, and lets one probe through (or `halfOpenProbes`) once the
 * break is over. Only provider failures count; the caller's own mistakes never open it. Rejected calls
 * fail fast with a `CircuitOpenError` carrying `retryAfterMs`.
 *
 * No timers: transitions happen when calls arrive, so idle breakers cost nothing.
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  return new CircuitBreakerPolicy(options);
}

/** The policy {@link circuitBreaker} builds. */
export class CircuitBreakerPolicy extends PolicyBase {
  /** The breaker's name. */
  readonly name: string;
  private readonly strategy: BreakerStrategy;
  private readonly duration: BreakDuration;
  private readonly maxProbes: number;
  private readonly probeTimeoutMs: number;
  private readonly failureKinds: ReadonlySet<ErrorKind>;
  private readonly store: CircuitStateStore | undefined;
  private readonly random: RandomSource;
  private listeners: Set<StateChangeListener> | undefined = undefined;
  private current: CircuitState = 'closed';
  private openUntil = 0;
  private consecutiveOpens = 0;
  private epoch = 0;
  private probes: number[] = NO_PROBES;
  private probeSuccesses = 0;
  /** The breaker's part in a fleet; allocated only for a breaker that has one. */
  private fleetLink: FleetLink | undefined;
  /** @internal The sampling window, for the pipeline's construction checks. */
  readonly windowMs: number | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    const record = checkObject('circuitBreaker', 'options', options);
    checkKeys('circuitBreaker', record, KEYS);
    super(resolvePolicyOptions('circuitBreaker', options));
    this.name =
      checkString('circuitBreaker', 'name', options.name) ?? this.config.service ?? 'circuit-breaker';
    const strategy = createStrategy(options.strategy);
    this.strategy = strategy;
    this.windowMs = strategy.windowMs;
    this.duration = resolveBreakDuration(options.breakDuration);
    this.maxProbes = optionalNumber('circuitBreaker', 'halfOpenProbes', options.halfOpenProbes, 1, {
      min: 1,
      max: 1000,
      integer: true,
    });
    this.probeTimeoutMs = optionalNumber('circuitBreaker', 'probeTimeoutMs', options.probeTimeoutMs, 30_000, {
      min: 1,
      max: 2_147_483_647,
    });
    this.failureKinds = resolveFailureKinds(
      options.failureKinds,
      checkBoolean('circuitBreaker', 'countRateLimits', options.countRateLimits, false),
    );
    this.random =
      options.random === undefined
        ? defaultRandom
        : checkFunction('circuitBreaker', 'random', options.random);
    if (
      options.store !== undefined &&
      (typeof options.store?.load !== 'function' || typeof options.store?.save !== 'function')
    ) {
      throw new TypeError('circuitBreaker: store must have load(name) and save(name, snapshot)');
    }
    this.store = options.store;
    const fleet = options.fleet;
    if (fleet !== undefined && typeof fleet?.joinCircuit !== 'function') {
      throw new TypeError(
        'circuitBreaker: fleet must have joinCircuit(name, onChange, options), like redisFleet() from @resilient/redis',
      );
    }
    const initial = checkSnapshot(options.initialState) ?? this.loadFromStore();
    if (initial !== undefined) this.restore(initial);
    if (fleet === undefined) {
      this.fleetLink = undefined;
    } else {
      const link: FleetLink = {
        member: undefined,
        askedAt: undefined,
        questions: 0,
        probeDeniedUntil: 0,
        reporter: { name: `${this.name} fleet` },
      };
      this.fleetLink = link;
      link.member = fleet.joinCircuit(this.name, (state) => this.adopt(state), {
        probeLeaseMs: this.probeTimeoutMs,
      });
    }
  }

  /** The state as of the last call or transition. An open breaker whose break is over turns half-open on the next call. */
  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until an open breaker lets a probe through (0 when it would now). */
  get retryAfterMs(): number {
    return this.current === 'open' ? Math.max(0, this.openUntil - this.config.clock.now()) : 0;
  }

  /** Listens to state changes; returns a function that stops listening. */
  onStateChange(listener: StateChangeListener): () => void {
    checkFunction('circuitBreaker.onStateChange', 'listener', listener);
    this.listeners ??= new Set();
    this.listeners.add(listener);
    return () => {
      this.listeners?.delete(listener);
    };
  }

  /** Opens the breaker by hand until {@link CircuitBreakerPolicy.reset}: every call fails fast. */
  isolate(): void {
    this.transition('isolated', undefined);
  }

  /** Closes the breaker by hand and forgets past failures. */
  reset(): void {
    this.consecutiveOpens = 0;
    this.openUntil = 0;
    this.strategy.reset();
    this.transition('closed', undefined);
  }

  /**
   * Leaves the fleet given as the `fleet` option: the breaker goes on with its own state, and the fleet
   * keeps no reference to it. A breaker without a fleet has nothing to release.
   */
  dispose(): void {
    const link = this.fleetLink;
    if (link === undefined) return;
    const member = link.member;
    link.member = undefined;
    member?.leave();
  }

  /** The state as plain data, for `initialState` or a store. */
  snapshot(): CircuitSnapshot {
    return {
      version: 1,
      state: this.current,
      openUntil: this.openUntil,
      consecutiveOpens: this.consecutiveOpens,
    };
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    let probeStart = this.tryEnter(execution);
    if (typeof probeStart !== 'number' && probeStart instanceof Promise) {
      probeStart = await execution.follow(probeStart);
    }
    if (typeof probeStart !== 'number') return rejectLater(failure(probeStart, execution));
    const generation = this.generation;
    const attemptsBefore = execution.attemptsRun;
    try {
      const value = await proceed(fn, execution, next);
      this.exitSuccess(generation, probeStart, execution);
      return value;
    } catch (raw) {
      const error = failure(raw, execution);
      this.exitFailure(error, generation, probeStart, execution, attemptsBefore);
      throw error;
    }
  }

  /**
   * @internal Bumped on every transition (and reset): the result of a call let in under an older
   * generation says nothing about the current state and is ignored. Read it right after `enter`.
   */
  get generation(): number {
    return this.epoch;
  }

  /**
   * @internal Lets a call in, or returns the `CircuitOpenError` that refuses it (a fail-fast path that
   * never throws skips V8's cost of throwing). Returns the probe's start time for a half-open probe,
   * `-Infinity` for any other call; hand it back to `exitSuccess` or `exitFailure`. Only a breaker in a
   * fleet, due for a probe, answers with a promise: it asks the fleet for the probe lease first.
   */
  tryEnter(execution: Execution): number | ResilientError | Promise<number | ResilientError> {
    if (this.current === 'closed') return NOT_A_PROBE;
    const admitted = this.admit(execution);
    if (admitted === true) return this.probes[this.probes.length - 1]!;
    return admitted === false ? NOT_A_PROBE : admitted;
  }

  /** @internal Records a call that succeeded, given the `generation` and probe start it entered with. */
  exitSuccess(generation: number, probeStart: number, execution: Execution): void {
    if (generation === this.epoch) this.recordSuccess(probeStart !== NOT_A_PROBE, probeStart, execution);
  }

  /**
   * @internal Records a call that failed with `error` (already classified). `attemptsBefore` is
   * `execution.attemptsRun` when the call entered: when no attempt ran since, nothing reached the
   * provider (a total timeout fired while a rate limiter inside made the call wait, say) and the error
   * says nothing about its health. Without it the call is taken as sent.
   */
  exitFailure(
    error: ResilientError,
    generation: number,
    probeStart: number,
    execution: Execution,
    attemptsBefore = Number.NEGATIVE_INFINITY,
  ): void {
    if (generation !== this.epoch) return;
    const sent = execution.attemptsRun > attemptsBefore;
    this.recordError(error, sent, probeStart !== NOT_A_PROBE, probeStart, execution);
  }

  /** Decides whether a call may pass a breaker that is not closed; returns `CircuitOpenError` if not, true for a probe. */
  private admit(execution: Execution): boolean | ResilientError | Promise<number | ResilientError> {
    const now = this.config.clock.now();
    if (this.current === 'isolated') return this.reject(execution, this.duration.initialMs, true);
    if (this.current === 'open') {
      if (now < this.openUntil) return this.reject(execution, this.openUntil - now, false);
      const link = this.fleetLink;
      if (link?.member !== undefined) return this.askFleet(execution, link, link.member, now);
      this.transition('half-open', execution);
      // A state-change listener may have isolated or reset the breaker: decide again on the new state.
      const after = this.state; // through the getter: listeners ran since the check above
      if (after !== 'half-open') return after !== 'closed' && this.admit(execution);
    }
    if (this.probes.length < this.maxProbes) {
      if (this.probes === NO_PROBES) this.probes = [];
      this.probes.push(now);
      return true;
    }
    const oldest = Math.min(...this.probes);
    if (now - oldest >= this.probeTimeoutMs) {
      // The probe hung: count it as failed, so the breaker cannot wedge half-open.
      this.open(execution);
      return this.reject(execution, this.openUntil - now, false);
    }
    return this.reject(execution, oldest + this.probeTimeoutMs - now, false);
  }

  /** Asks the fleet for its half-open probe: one process at a time probes for the whole fleet. */
  private askFleet(
    execution: Execution,
    link: FleetLink,
    member: CircuitFleetMember,
    now: number,
  ): ResilientError | Promise<number | ResilientError> {
    if (now < link.probeDeniedUntil) return this.reject(execution, link.probeDeniedUntil - now, false);
    // One question at a time: the answer decides for this process, and the callers meanwhile wait as they
    // would behind a probe in flight. A question unanswered for probeTimeoutMs is taken as lost (a fleet
    // that never answers must not wedge the breaker), and its answer, if it ever comes, is ignored.
    if (link.askedAt !== undefined && now - link.askedAt < this.probeTimeoutMs) {
      return this.reject(execution, link.askedAt + this.probeTimeoutMs - now, false);
    }
    const question = ++link.questions;
    link.askedAt = now;
    const generation = this.epoch;
    const interruptions = execution.interruptions;
    return member.acquireProbe().then(
      (waitMs) => this.answered(execution, link, question, generation, interruptions, waitMs),
      (error: unknown) => {
        // The contract says a fleet never rejects; if one does, this process decides on its own.
        this.reportFleet(error, 'acquireProbe');
        return this.answered(execution, link, question, generation, interruptions, 0);
      },
    );
  }

  private answered(
    execution: Execution,
    link: FleetLink,
    question: number,
    generation: number,
    interruptions: number,
    waitMs: number,
  ): number | ResilientError | Promise<number | ResilientError> {
    const now = this.config.clock.now();
    const current = question === link.questions;
    if (current) link.askedAt = undefined;
    if (current && waitMs > 0 && Number.isFinite(waitMs)) {
      // Another process holds the lease (or the break is longer there). Capped, so that a skewed or
      // misbehaving fleet cannot keep this process out for longer than a lease or a break could last.
      const longest = Math.max(
        this.probeTimeoutMs,
        Math.ceil(this.duration.maxMs * (1 + this.duration.jitter)),
      );
      link.probeDeniedUntil = now + Math.min(waitMs, longest);
    }
    // The caller is gone (it aborted, a timeout cut its wait short), or this answer came too late: take no
    // probe, ask nothing more. The breaker stays due; its next caller asks again (a process that holds the
    // lease is granted it again).
    if (!current || execution.interruptions !== interruptions || execution.terminal !== undefined) {
      return new CircuitOpenError({ service: execution.service ?? this.config.service, retryAfterMs: 0 });
    }
    // The state changed while the fleet answered (another process closed it, say): decide again.
    if (generation !== this.epoch || this.current !== 'open') return this.tryEnter(execution);
    if (waitMs > 0 && Number.isFinite(waitMs))
      return this.reject(execution, link.probeDeniedUntil - now, false);
    // The fleet already records the probe lease: the half-open state is not published again.
    this.transition('half-open', execution, false);
    if (this.state !== 'half-open') return this.tryEnter(execution); // a listener isolated or reset it
    if (this.probes === NO_PROBES) this.probes = [];
    this.probes.push(now);
    return now;
  }

  /** Takes a transition another process of the fleet made. */
  private adopt(shared: CircuitFleetState): void {
    if (!isFleetState(shared)) {
      this.reportFleet(
        new TypeError(`circuitBreaker: the fleet sent ${JSON.stringify(shared)}, not a CircuitFleetState`),
        'onChange',
      );
      return;
    }
    const now = this.config.clock.now();
    this.consecutiveOpens = shared.consecutiveOpens;
    if (this.fleetLink !== undefined) this.fleetLink.probeDeniedUntil = 0;
    // Half-open elsewhere: another process probes. Here the breaker is open and due to ask for the
    // probe; the fleet answers with the lease's remaining time.
    const to: CircuitState = shared.state === 'half-open' ? 'open' : shared.state;
    const longest = Math.ceil(this.duration.maxMs * (1 + this.duration.jitter));
    this.openUntil =
      shared.state === 'open'
        ? now + Math.min(shared.openForMs, longest)
        : shared.state === 'half-open'
          ? now
          : 0;
    if (to === 'closed') this.strategy.reset();
    if (to !== this.current) this.transition(to, undefined, false, true);
  }

  private reject(execution: Execution, retryAfterMs: number, isolated: boolean): CircuitOpenError {
    const error = new CircuitOpenError({
      service: execution.service ?? this.config.service,
      retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)),
      isolated,
    });
    error.attempts = execution.attemptsRun;
    const plugins = execution.plugins;
    if (plugins !== undefined)
      emit(plugins, 'onRejected', {
        operation: execution.info,
        rejectedBy: 'circuit-breaker',
        error,
        breaker: this.name,
        breakerState: this.current,
      });
    return error;
  }

  private recordSuccess(probe: boolean, probeStart: number, execution: Execution): void {
    if (this.current === 'closed') {
      // A sampling window needs the time; reuse the reading the timeouts took for this attempt.
      if (
        this.strategy instanceof SamplingStrategy &&
        execution.timeRead !== 0 &&
        execution.clock === this.config.clock
      ) {
        this.strategy.successAt(execution.timeRead);
      } else {
        this.strategy.success(this.config.clock);
      }
      return;
    }
    if (!probe || this.current !== 'half-open') return;
    this.releaseProbe(probeStart);
    this.probeSuccesses++;
    if (this.probeSuccesses >= this.maxProbes) {
      this.consecutiveOpens = 0;
      this.openUntil = 0;
      this.strategy.reset();
      this.transition('closed', execution);
    }
  }

  private recordError(
    error: ResilientError,
    sent: boolean,
    probe: boolean,
    probeStart: number,
    execution: Execution,
  ): void {
    if (
      !sent ||
      NEUTRAL.has(error.kind) ||
      // A provider failure the caller chose not to count (a timeout, say) is no sign of health either.
      (KIND_INFO[error.kind].providerFailure && !this.failureKinds.has(error.kind))
    ) {
      if (probe) this.releaseProbe(probeStart);
      return;
    }
    if (!this.failureKinds.has(error.kind)) {
      // The provider answered (a 4xx, say): that is a sign of health, not of failure.
      this.recordSuccess(probe, probeStart, execution);
      return;
    }
    if (this.current === 'closed') {
      if (this.strategy.failure(this.config.clock)) this.open(execution);
      else if (this.fleetLink?.member?.failed !== undefined) this.tellFleetOfFailure(this.fleetLink.member);
    } else if (probe && this.current === 'half-open') {
      this.open(execution);
    }
  }

  private releaseProbe(probeStart: number): void {
    const index = this.probes.indexOf(probeStart);
    if (index >= 0) this.probes.splice(index, 1);
  }

  /**
   * Tells a fleet that counts failures across processes of one this breaker counted and did not trip on,
   * with the break it would take if the fleet trips now.
   */
  private tellFleetOfFailure(member: CircuitFleetMember): void {
    const consecutiveOpens = this.consecutiveOpens + 1;
    const openForMs = breakDurationFor(this.duration, consecutiveOpens, this.random());
    try {
      member.failed?.({ state: 'open', openForMs, consecutiveOpens });
    } catch (error) {
      this.reportFleet(error, 'failed');
    }
  }

  private open(execution: Execution | undefined): void {
    this.consecutiveOpens++;
    this.openUntil =
      this.config.clock.now() + breakDurationFor(this.duration, this.consecutiveOpens, this.random());
    this.transition('open', execution);
  }

  /**
   * Moves to `to`. `share`: tell the fleet (a transition this process decided). `fromFleet`: the fleet
   * told this process (another process decided).
   */
  private transition(
    to: CircuitState,
    execution: Execution | undefined,
    share = true,
    fromFleet = false,
  ): void {
    const from = this.current;
    this.current = to;
    this.epoch++;
    this.probes = NO_PROBES;
    this.probeSuccesses = 0;
    if (to === 'closed' || to === 'isolated') this.strategy.reset();
    if (from === to) return;
    const member = this.fleetLink?.member;
    if (share && member !== undefined) this.share(member, to);
    const event: BreakerStateChangeEvent = fromFleet
      ? { breaker: this.name, from, to, operation: undefined, fromFleet: true }
      : { breaker: this.name, from, to, operation: execution?.info };
    for (const listener of this.listeners ?? NO_LISTENERS) {
      try {
        listener(event);
      } catch (error) {
        reportPluginError(error, { name: `${this.name} onStateChange listener` }, 'onStateChange');
      }
    }
    emit(execution?.plugins ?? this.config.plugins.current(), 'onBreakerStateChange', event);
    if (this.store !== undefined) {
      try {
        this.store.save(this.name, this.snapshot());
      } catch (error) {
        reportPluginError(error, { name: `${this.name} state store` }, 'save');
      }
    }
  }

  private reportFleet(error: unknown, hook: string): void {
    reportPluginError(error, this.fleetLink?.reporter ?? { name: `${this.name} fleet` }, hook);
  }

  private share(member: CircuitFleetMember, to: CircuitState): void {
    const openForMs = to === 'open' ? Math.max(0, this.openUntil - this.config.clock.now()) : 0;
    try {
      member.publish({ state: to, openForMs, consecutiveOpens: this.consecutiveOpens });
    } catch (error) {
      this.reportFleet(error, 'publish');
    }
  }

  private loadFromStore(): CircuitSnapshot | undefined {
    if (this.store === undefined) return undefined;
    try {
      // A store holding something unreadable (another version's format, say) must not stop the
      // breaker from being built: report it and start closed.
      return checkSnapshot(this.store.load(this.name), 'the snapshot loaded from the store');
    } catch (error) {
      reportPluginError(error, { name: `${this.name} state store` }, 'load');
      return undefined;
    }
  }

  private restore(snapshot: CircuitSnapshot): void {
    const now = this.config.clock.now();
    // A half-open breaker restored elsewhere has lost its probes: resume as open, due for a probe.
    this.current = snapshot.state === 'half-open' ? 'open' : snapshot.state;
    // A break longer than this breaker could ever set (a snapshot from a host whose clock runs ahead,
    // say) is cut to the longest break, so a restored breaker cannot stay open for hours.
    const longest = Math.ceil(this.duration.maxMs * (1 + this.duration.jitter));
    this.openUntil =
      snapshot.state === 'half-open'
        ? Math.min(snapshot.openUntil, now)
        : snapshot.state === 'open'
          ? Math.min(snapshot.openUntil, now + longest)
          : snapshot.openUntil;
    this.consecutiveOpens = snapshot.consecutiveOpens;
  }
}

const STATES: readonly string[] = ['closed', 'open', 'half-open', 'isolated'];

function isFleetState(value: CircuitFleetState): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    STATES.includes(value.state) &&
    typeof value.openForMs === 'number' &&
    value.openForMs >= 0 &&
    Number.isFinite(value.openForMs) &&
    Number.isInteger(value.consecutiveOpens) &&
    value.consecutiveOpens >= 0
  );
}

/** A breaker's part in a fleet. */
interface FleetLink {
  /** Its membership; `undefined` once the breaker left (`dispose()`). */
  member: CircuitFleetMember | undefined;
  /** When this process asked the fleet for the half-open probe, if it still waits for the answer. */
  askedAt: number | undefined;
  /** Questions asked so far: only the answer to the latest counts. */
  questions: number;
  /** Until when another process holds the fleet's probe lease, as far as this process knows. */
  probeDeniedUntil: number;
  /** Who problems with the fleet are reported as (one object, so the default report is made once). */
  readonly reporter: { readonly name: string };
}
