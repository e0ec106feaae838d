import type { CircuitState } from './circuit-state';

/** A breaker's state as plain data, for `snapshot()`, `initialState` and state stores. */
export interface CircuitSnapshot {
  /** The format version. */
  readonly version: 1;
  readonly state: CircuitState;
  /** When an open breaker lets the next probe through, in epoch milliseconds (0 when closed). */
  readonly openUntil: number;
  /** Openings in a row without a successful probe; drives the break-duration growth. */
  readonly consecutiveOpens: number;
}

/**
 * Where breaker state lives. The breaker keeps its state in memory for the hot path; a store is read
 * once when the breaker is built and written on every transition. To share state live across processes,
 * use the breaker's `fleet` option instead.
 */
export interface CircuitStateStore {
  /** The last snapshot saved under `name`, if any. */
  load(name: string): CircuitSnapshot | undefined;
  /** Saves the snapshot of `name` after a transition. Errors are caught and reported, never thrown to callers. */
  save(name: string, snapshot: CircuitSnapshot): void;
}

/** A {@link CircuitStateStore} in memory: breakers re-created with the same name resume where the last left off. */
export function memoryStateStore(): CircuitStateStore & { readonly size: number } {
  const snapshots = new Map<string, CircuitSnapshot>();
  return {
    load: (name) => snapshots.get(name),
    save: (name, snapshot) => {
      snapshots.set(name, snapshot);
    },
    get size() {
      return snapshots.size;
    },
  };
}

/** @internal Checks a snapshot from outside; `what` names where it came from in the error. */
export function checkSnapshot(value: unknown, what = 'initialState'): CircuitSnapshot | undefined {
  if (value === undefined) return undefined;
  const snapshot = value as Partial<CircuitSnapshot>;
  if (
    typeof value !== 'object' ||
    value === null ||
    snapshot.version !== 1 ||
    !['closed', 'open', 'half-open', 'isolated'].includes(snapshot.state as string) ||
    typeof snapshot.openUntil !== 'number' ||
    !Number.isFinite(snapshot.openUntil) ||
    typeof snapshot.consecutiveOpens !== 'number' ||
    !Number.isInteger(snapshot.consecutiveOpens) ||
    snapshot.consecutiveOpens < 0
  ) {
    throw new TypeError(
      `circuitBreaker: ${what} must be a snapshot from breaker.snapshot() (version 1, state closed, open, half-open or isolated, a finite openUntil, an integer consecutiveOpens >= 0)`,
    );
  }
  return snapshot as CircuitSnapshot;
}
