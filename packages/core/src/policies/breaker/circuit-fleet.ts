import type { CircuitState } from './circuit-state';

/**
 * A breaker's state as the processes of a fleet tell it to each other. Times are relative (`openForMs`),
 * so the hosts' clocks need not agree.
 */
export interface CircuitFleetState {
  /** The state. `half-open` means some process holds the fleet's probe lease. */
  readonly state: CircuitState;
  /** For `open`: milliseconds until a probe is due. 0 for any other state. */
  readonly openForMs: number;
  /** Openings in a row without a successful probe; drives the break-duration growth. */
  readonly consecutiveOpens: number;
}

/** Options a breaker hands to {@link CircuitFleet.joinCircuit}. */
export interface CircuitFleetJoinOptions {
  /** How long the fleet's half-open probe lease lasts: the breaker's `probeTimeoutMs`. */
  readonly probeLeaseMs: number;
}

/**
 * Shares circuit breakers' state across the processes of a fleet, so that a trip in one process opens
 * the breaker of the same name in all of them, and half-open lets one probe through fleet-wide.
 * `@resilient/redis` implements it on Redis; `memoryFleet()` in `@resilient/core/testing` in memory.
 *
 * The breaker stays local-first: it admits calls from memory, with no round trip, and the fleet pushes
 * other processes' transitions to it through `onChange`.
 */
export interface CircuitFleet {
  /**
   * Joins the breaker `name` to the fleet. The fleet calls `onChange` whenever another process changes
   * that breaker's state, and once with the fleet's current state if it is not `closed`.
   */
  joinCircuit(
    name: string,
    onChange: (state: CircuitFleetState) => void,
    options: CircuitFleetJoinOptions,
  ): CircuitFleetMember;
}

/** One breaker's membership of a {@link CircuitFleet}. */
export interface CircuitFleetMember {
  /**
   * Tells the fleet about a transition this process made. Fire and forget: it must not throw. When the
   * fleet disagrees (another process opened the breaker first, say), it answers through `onChange`.
   */
  publish(state: CircuitFleetState): void;
  /**
   * Asks for the fleet's half-open probe. Resolves with 0 when this process now holds the probe lease,
   * or with the milliseconds until the lease another process holds ends. It must not reject: a fleet
   * that cannot decide (its store is down) grants the probe, and the breaker falls back to local state.
   * It must settle soon (the Redis fleet does within its command timeout): the caller waits for it,
   * unless a timeout or its signal ends the call; after `probeLeaseMs` without an answer the breaker
   * asks again and ignores the late answer.
   */
  acquireProbe(): Promise<number>;
  /**
   * Optional, for fleets that trip on failures spread across processes (many instances that each see
   * too few failures to trip on their own). Told of each provider failure a closed breaker counted and
   * did not trip on; `trip` is the state this breaker would take if the fleet trips now (the break it
   * would set). Fire and forget: it must not throw. A fleet that trips tells every member, this one
   * included, through `onChange`.
   */
  failed?(trip: CircuitFleetState): void;
  /** Leaves the fleet: no more `onChange` calls. */
  leave(): void;
}
