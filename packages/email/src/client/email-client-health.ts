import type { CircuitState } from '@resilient/core';
import type { EmailProviderCapabilities } from '../email-provider';
import type { ProviderLane } from './provider-lane';

/** One provider's health, as its circuit breaker sees it. */
export interface ProviderHealth {
  /** The provider's name. */
  readonly provider: string;
  /** Its breaker's state, or `none` when its pipeline has no breaker (`circuitBreaker: false`). */
  readonly breaker: CircuitState | 'none';
  /** Milliseconds until an open breaker lets a probe through; 0 otherwise. */
  readonly retryAfterMs: number;
  /** What the provider can do. */
  readonly capabilities: EmailProviderCapabilities;
}

/**
 * The client's health, for a health endpoint:
 * - `healthy`: every breaker is closed;
 * - `degraded`: some breaker is open, half-open or isolated, but at least one provider takes sends;
 * - `unavailable`: no provider takes sends now (every breaker open or isolated).
 */
export interface EmailClientHealth {
  readonly status: 'healthy' | 'degraded' | 'unavailable';
  /** Each provider, in order of preference. */
  readonly providers: readonly ProviderHealth[];
}

/** @internal Reads every lane's breaker. Reads only: it never moves a breaker. */
export function readHealth(lanes: readonly ProviderLane[]): EmailClientHealth {
  const providers = lanes.map((lane): ProviderHealth => {
    const breaker = lane.pipeline.breaker;
    return {
      provider: lane.provider.name,
      breaker: breaker === undefined ? 'none' : breaker.state,
      retryAfterMs: breaker === undefined ? 0 : breaker.retryAfterMs,
      capabilities: { ...lane.provider.capabilities },
    };
  });
  const takesSends = (health: ProviderHealth): boolean =>
    health.breaker === 'none' ||
    health.breaker === 'closed' ||
    health.breaker === 'half-open' ||
    (health.breaker === 'open' && health.retryAfterMs === 0);
  const healthy = providers.every((health) => health.breaker === 'none' || health.breaker === 'closed');
  const status = healthy ? 'healthy' : providers.some(takesSends) ? 'degraded' : 'unavailable';
  return { status, providers };
}
