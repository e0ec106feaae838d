import { type Clock, systemClock } from '../clock/clock';
import { checkKeys, checkObject, optionalNumber } from '../internal/validate';

/** Options of {@link incidentGate}. */
export interface IncidentGateOptions {
  /** How long an open incident stays quiet before it may notify again, in ms. Default: 3,600,000 (one hour). */
  cooldownMs?: number;
  /** The clock. Default: the system clock. */
  clock?: Clock;
}

/** Decides when a failure is news: the first of an incident, not every repeat. */
export interface IncidentGate {
  /** True for the first report of `key` since it was resolved or since the cooldown passed. */
  shouldNotify(key: string): boolean;
  /** Ends the incident of `key` (the key works again), so its next failure notifies at once. */
  resolve(key: string): void;
  /** Keys with an open incident. */
  readonly open: readonly string[];
}

/**
 * One notification per incident: a revoked API key fails every call, but should page a person once,
 * not ten thousand times. Report failures with `shouldNotify(key)`, and call `resolve(key)` when the
 * key works again.
 *
 * @example
 * const gate = incidentGate();
 * const alerts: ResiliencePlugin = {
 *   name: 'auth-alerts',
 *   onOperationEnd: ({ operation, error }) => {
 *     const key = `${operation.service}:auth`;
 *     if (error?.kind === 'auth') { if (gate.shouldNotify(key)) page(`${operation.service} key refused`); }
 *     else if (!error) gate.resolve(key);
 *   },
 * };
 */
export function incidentGate(options: IncidentGateOptions = {}): IncidentGate {
  const record = checkObject('incidentGate', 'options', options);
  checkKeys('incidentGate', record, ['cooldownMs', 'clock']);
  const cooldownMs = optionalNumber('incidentGate', 'cooldownMs', options.cooldownMs, 3_600_000, {
    min: 0,
    max: 2_147_483_647,
  });
  const clock = options.clock ?? systemClock;
  const openedAt = new Map<string, number>();
  return {
    shouldNotify(key) {
      const now = clock.now();
      const since = openedAt.get(key);
      if (since !== undefined && now - since < cooldownMs) return false;
      openedAt.set(key, now);
      return true;
    },
    resolve(key) {
      openedAt.delete(key);
    },
    get open() {
      return [...openedAt.keys()];
    },
  };
}
