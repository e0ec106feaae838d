import type { CircuitState } from '@resilient/core';

/** Every state a breaker can be in, in the order the gauge reports them. */
export const CIRCUIT_STATES: readonly CircuitState[] = Object.freeze([
  'closed',
  'open',
  'half-open',
  'isolated',
]);

/**
 * @internal The last state seen of each circuit breaker, by name, learned from state changes and
 * rejections. Breakers are few and long-lived, so the maps stay small.
 *
 * Core's rejection event does not name the breaker, so a rejection is attributed to the breaker last
 * seen changing state for the operation's service, or else to the breaker named after the service
 * (a breaker's default name).
 */
export class BreakerStateTable {
  private readonly states = new Map<string, CircuitState>();
  private readonly breakerOfService = new Map<string, string>();

  /** Records a state change, and which service's calls drive the breaker when the change names one. */
  changed(breaker: string, to: CircuitState, service: string | undefined): void {
    this.states.set(breaker, to);
    if (service !== undefined) this.breakerOfService.set(service, breaker);
  }

  /** Records the state a rejection revealed. */
  set(breaker: string, state: CircuitState): void {
    this.states.set(breaker, state);
  }

  /** The last state seen of `breaker`, or `undefined` when none was. */
  get(breaker: string | undefined): CircuitState | undefined {
    return breaker === undefined ? undefined : this.states.get(breaker);
  }

  /** The breaker that guards `service`'s calls, as far as the events have told. */
  breakerFor(service: string | undefined): string | undefined {
    if (service === undefined) return undefined;
    return this.breakerOfService.get(service) ?? service;
  }

  /** Every breaker seen, with its last state. */
  entries(): IterableIterator<[string, CircuitState]> {
    return this.states.entries();
  }
}
