import type { CircuitFleetState, CircuitState } from '@resilient/core';

/** A breaker's state as a script reply or a channel message carries it, with its generation. */
export interface CircuitNews {
  readonly state: CircuitFleetState;
  /** The hash's `gen` when the change was made: newer news has a larger one. */
  readonly gen: number;
}

/** A message of the fleet's channel: which breaker, whose change, and the change. */
export interface CircuitMessage {
  readonly name: string;
  /** The member that made the change (it does not take its own news). */
  readonly origin: unknown;
  readonly news: CircuitNews;
}

const STATES: readonly string[] = ['closed', 'open', 'half-open', 'isolated'];

/**
 * @internal Reads `[state, openForMs, opens, gen]` (strings or numbers) from a script's reply;
 * `undefined` if it is not one.
 */
export function readNews(row: readonly unknown[]): CircuitNews | undefined {
  const [state, openForMs, opens, gen] = row.map((value) =>
    typeof value === 'number' ? String(value) : value,
  );
  if (typeof state !== 'string' || !STATES.includes(state)) return undefined;
  const fleetState: CircuitFleetState = {
    state: state as CircuitState,
    openForMs: Number(openForMs),
    consecutiveOpens: Number(opens),
  };
  const generation = Number(gen);
  if (!(fleetState.openForMs >= 0) || !Number.isInteger(fleetState.consecutiveOpens) || !(generation >= 0)) {
    return undefined;
  }
  return { state: fleetState, gen: generation };
}

/**
 * @internal Reads a message of the fleet's channel, `[name, state, openForMs, opens, origin, gen]` as
 * JSON (the publish scripts write it); `undefined` for anything else, which the fleet ignores.
 */
export function readMessage(message: string): CircuitMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') return undefined;
  const [name, state, openForMs, opens, origin, gen] = parsed as unknown[];
  const news = readNews([state, openForMs, opens, gen]);
  return news === undefined ? undefined : { name: name as string, origin, news };
}
