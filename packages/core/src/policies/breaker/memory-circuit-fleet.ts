import { type Clock, systemClock } from '../../clock/clock';
import type {
  CircuitFleet,
  CircuitFleetJoinOptions,
  CircuitFleetMember,
  CircuitFleetState,
} from './circuit-fleet';
import type { CircuitState } from './circuit-state';

/** Options of {@link memoryCircuitFleet}. */
export interface MemoryCircuitFleetOptions {
  /** The fleet's clock, for break ends and probe leases. Default: the system clock. */
  clock?: Pick<Clock, 'now'>;
  /**
   * Trip a breaker when this many failures, counted by its members together, fall within `windowMs` of
   * the first (as `tripAfter` of `redisFleet()`). Default: none.
   */
  tripAfter?: { readonly failures: number; readonly windowMs: number };
}

/** A {@link CircuitFleet} in memory, with a way to look inside. */
export interface MemoryCircuitFleet extends CircuitFleet {
  /** The fleet's record of the breaker `name`; `undefined` before any transition. */
  inspect(name: string): MemoryCircuitRecord | undefined;
}

/** What a {@link MemoryCircuitFleet} holds for one breaker. */
export interface MemoryCircuitRecord {
  readonly state: CircuitState;
  /** When an open breaker is due for a probe, on the fleet's clock. */
  readonly openUntil: number;
  readonly consecutiveOpens: number;
  /** When the probe lease ends, on the fleet's clock; 0 without a lease. */
  readonly leaseUntil: number;
}

interface Entry {
  /** Failures counted in the current window, and when the window ends. */
  failures: number;
  windowEnds: number;
  state: CircuitState;
  openUntil: number;
  consecutiveOpens: number;
  holder: object | undefined;
  leaseUntil: number;
}

/**
 * A {@link CircuitFleet} in one process: breakers built with the same name and this fleet share their
 * state as breakers in separate processes do through `redisFleet()` from `@resilient/redis`, with the
 * same rules. For tests of fleet behaviour without Redis, and as the reference a fleet on another store
 * can be held to. Messages to members go out on a microtask, as a store's would arrive later.
 *
 * The rules: `open` is taken unless the fleet is already open or isolated (then the member is told the
 * fleet's state); `closed` and `isolated` are always taken; a probe lease is granted to one member at a
 * time and lapses after `probeLeaseMs`.
 */
export function memoryCircuitFleet(options: MemoryCircuitFleetOptions = {}): MemoryCircuitFleet {
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new TypeError('memoryCircuitFleet: clock must have now()');
  const tripAfter = options.tripAfter;
  if (
    tripAfter !== undefined &&
    !(
      Number.isInteger(tripAfter?.failures) &&
      tripAfter.failures >= 1 &&
      typeof tripAfter.windowMs === 'number' &&
      tripAfter.windowMs > 0 &&
      Number.isFinite(tripAfter.windowMs)
    )
  ) {
    throw new TypeError(
      'memoryCircuitFleet: tripAfter must be { failures: an integer >= 1, windowMs: a finite number > 0 }',
    );
  }
  const records = new Map<string, Entry>();
  const members = new Map<string, Set<Member>>();

  interface Member {
    readonly onChange: (state: CircuitFleetState) => void;
  }

  const recordOf = (name: string): Entry => {
    let record = records.get(name);
    if (record === undefined) {
      record = {
        failures: 0,
        windowEnds: 0,
        state: 'closed',
        openUntil: 0,
        consecutiveOpens: 0,
        holder: undefined,
        leaseUntil: 0,
      };
      records.set(name, record);
    }
    return record;
  };
  const stateOf = (record: Entry): CircuitFleetState => ({
    state: record.state,
    openForMs: record.state === 'open' ? Math.max(0, record.openUntil - clock.now()) : 0,
    consecutiveOpens: record.consecutiveOpens,
  });
  const send = (member: Member, state: CircuitFleetState): void => {
    queueMicrotask(() => member.onChange(state));
  };
  const broadcast = (name: string, from: Member | undefined, record: Entry): void => {
    const state = stateOf(record);
    for (const member of members.get(name) ?? []) if (member !== from) send(member, state);
  };

  return {
    joinCircuit(name: string, onChange: (state: CircuitFleetState) => void, join: CircuitFleetJoinOptions) {
      const member: Member = { onChange };
      let group = members.get(name);
      if (group === undefined) {
        group = new Set();
        members.set(name, group);
      }
      group.add(member);
      const known = records.get(name);
      if (known !== undefined && known.state !== 'closed') send(member, stateOf(known));
      const handle: CircuitFleetMember = {
        publish(state) {
          const record = recordOf(name);
          if (state.state === 'half-open') return; // a lease is taken with acquireProbe
          if (state.state === 'open' && (record.state === 'open' || record.state === 'isolated')) {
            send(member, stateOf(record)); // another member was first: take the fleet's state
            return;
          }
          record.state = state.state;
          record.failures = 0; // every transition starts the count across the fleet afresh
          record.windowEnds = 0;
          record.openUntil = state.state === 'open' ? clock.now() + state.openForMs : 0;
          record.consecutiveOpens = state.consecutiveOpens;
          record.holder = undefined;
          record.leaseUntil = 0;
          broadcast(name, member, record);
        },
        acquireProbe() {
          const record = recordOf(name);
          const now = clock.now();
          if (record.state === 'open' && now < record.openUntil)
            return Promise.resolve(record.openUntil - now);
          if (record.state === 'half-open' && record.holder !== member && now < record.leaseUntil) {
            return Promise.resolve(record.leaseUntil - now);
          }
          if (record.state === 'closed' || record.state === 'isolated') {
            // This member is behind: tell it the fleet's state before it decides.
            send(member, stateOf(record));
            return new Promise<number>((resolve) => queueMicrotask(() => resolve(0)));
          }
          record.state = 'half-open';
          record.holder = member;
          record.leaseUntil = now + join.probeLeaseMs;
          broadcast(name, member, record);
          return Promise.resolve(0);
        },
        leave() {
          group.delete(member);
        },
        failed:
          tripAfter === undefined
            ? undefined
            : (trip) => {
                const record = recordOf(name);
                if (record.state !== 'closed') return;
                const now = clock.now();
                if (now >= record.windowEnds) {
                  record.failures = 0;
                  record.windowEnds = now + tripAfter.windowMs;
                }
                if (++record.failures < tripAfter.failures) return;
                record.failures = 0;
                record.state = 'open';
                record.openUntil = now + trip.openForMs;
                record.consecutiveOpens = trip.consecutiveOpens;
                broadcast(name, undefined, record); // every member hears it, the reporting one too
              },
      };
      return handle;
    },
    inspect(name) {
      const record = records.get(name);
      if (record === undefined) return undefined;
      const { state, openUntil, consecutiveOpens, leaseUntil } = record;
      return { state, openUntil, consecutiveOpens, leaseUntil };
    },
  };
}
