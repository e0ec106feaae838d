import type { RandomSource } from '../../clock/clock';
import type { ErrorKind } from '../../errors/error-kind';
import type { BreakerStateChangeEvent } from '../../hooks/plugin';
import type { PolicyOptions } from '../policy';
import type { BreakDurationOptions } from './break-duration';
import type { BreakerStrategyOptions } from './breaker-strategy';
import type { CircuitFleet } from './circuit-fleet';
import type { CircuitSnapshot, CircuitStateStore } from './circuit-snapshot';

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions extends PolicyOptions {
  /** The breaker's name in events and stores. Default: the service, else `circuit-breaker`. */
  name?: string;
  /** When to open. Default: `{ type: 'consecutive', threshold: 5 }`. */
  strategy?: BreakerStrategyOptions;
  /** How long to stay open: milliseconds (fixed), or growth options. Default: 5 s growing x2 to 60 s, 10% jitter. */
  breakDuration?: number | BreakDurationOptions;
  /** Probe calls let through while half-open; all must succeed to close. Default: 1. */
  halfOpenProbes?: number;
  /** A probe still running after this long counts as failed, so a hung probe cannot wedge the breaker. Default: 30,000. */
  probeTimeoutMs?: number;
  /**
   * The kinds that count as the provider's failures. Default: `server`, `unavailable`, `network`,
   * `timeout`. Never allowed: the caller's own mistakes (`invalid-request`, `auth`, `permission`,
   * `not-found`, `conflict`), `cancelled`, and local rejections.
   */
  failureKinds?: readonly ErrorKind[];
  /** Also count `rate-limit` (429) as a provider failure. Default: `false`. */
  countRateLimits?: boolean;
  /** State to start from, from `snapshot()`. */
  initialState?: CircuitSnapshot;
  /** Where state is loaded from at construction and saved on every transition. */
  store?: CircuitStateStore;
  /**
   * Shares this breaker's state with every process that has a breaker of the same `name` in this fleet
   * (`redisFleet()` from `@resilient/redis`, say): a trip in one opens it in all, and half-open lets one
   * probe through fleet-wide. Calls are still admitted from memory, with no round trip.
   */
  fleet?: CircuitFleet;
  /** The random source for break-duration jitter. Default: `Math.random`. */
  random?: RandomSource;
}

/** @internal The option names `circuitBreaker` accepts. */
export const KEYS = [
  'name',
  'strategy',
  'breakDuration',
  'halfOpenProbes',
  'probeTimeoutMs',
  'failureKinds',
  'countRateLimits',
  'initialState',
  'store',
  'fleet',
  'random',
  'service',
  'operation',
  'idempotent',
  'plugins',
  'clock',
];

/** A listener of state changes. */
export type StateChangeListener = (event: BreakerStateChangeEvent) => void;
