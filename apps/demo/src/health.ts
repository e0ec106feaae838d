import type { CircuitState } from '@resilient/core';
import type { EmailClient } from '@resilient/email';
import type { CustomerService } from './customers';

export interface ProviderHealthReport {
  readonly provider: string;
  readonly role: 'customers' | 'email';
  readonly breaker: CircuitState | 'none';
  /** Until an open breaker lets a probe through, in ms; 0 otherwise. */
  readonly retryAfterMs: number;
}

/**
 * `GET /health`:
 * - `healthy`: every breaker closed;
 * - `degraded`: some breaker is not closed, but signups go through (an email provider is down and the
 *   other takes the mail, or a breaker is probing);
 * - `unavailable`: signups fail now (Stripe's breaker is open, or no email provider takes sends).
 */
export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unavailable';
  readonly providers: readonly ProviderHealthReport[];
}

/** Reads every breaker without moving it. */
export function readHealth(customers: CustomerService, email: EmailClient): HealthReport {
  const stripe = customers.health();
  const mail = email.health();
  const providers: ProviderHealthReport[] = [
    {
      provider: customers.provider,
      role: 'customers',
      breaker: stripe.breaker,
      retryAfterMs: stripe.retryAfterMs,
    },
    ...mail.providers.map((health) => ({
      provider: health.provider,
      role: 'email' as const,
      breaker: health.breaker,
      retryAfterMs: health.retryAfterMs,
    })),
  ];
  const stripeDown = (stripe.breaker === 'open' && stripe.retryAfterMs > 0) || stripe.breaker === 'isolated';
  const allClosed = providers.every((health) => health.breaker === 'closed' || health.breaker === 'none');
  const status =
    stripeDown || mail.status === 'unavailable' ? 'unavailable' : allClosed ? 'healthy' : 'degraded';
  return { status, providers };
}
