import type { CircuitState, ErrorKind, ResiliencePlugin } from '@resilient/core';

/** What one provider went through during a run, as core's hooks reported it. */
export interface ProviderStats {
  /** Attempts started (every call that reached the provider's pipeline past the breaker). */
  attempts: number;
  /** Retries scheduled after a failed attempt. */
  retries: number;
  /** Retries that waited out a 429's `Retry-After` (or rate-limit headers). */
  rateLimitWaits: number;
  /** Calls an open breaker refused without touching the provider. */
  rejected: number;
  /** Operations (one per signup and provider) that ended with an error. */
  failedOperations: number;
  /** Failed attempts by error kind: `unavailable: 6, rate-limit: 3`. */
  attemptErrors: Partial<Record<ErrorKind, number>>;
  /** Breaker transitions in order, such as `closed→open`. */
  transitions: string[];
  /** The breaker's last known state (`closed` until it changes). */
  breaker: CircuitState;
}

/** A core plugin that counts attempts, retries, 429s, rejections and breaker transitions per service. */
export interface StatsPlugin extends ResiliencePlugin {
  /** The counts so far, by service (`stripe`, `resend`, `sendgrid`). */
  readonly byService: ReadonlyMap<string, ProviderStats>;
  /** The counts of one service (zeros when it saw nothing). */
  statsOf(service: string): ProviderStats;
}

function emptyStats(): ProviderStats {
  return {
    attempts: 0,
    retries: 0,
    rateLimitWaits: 0,
    rejected: 0,
    failedOperations: 0,
    attemptErrors: {},
    transitions: [],
    breaker: 'closed',
  };
}

/**
 * Counts what the policies do, from core's hooks: no log is parsed. Register it for the process
 * (`registerPlugin`) or give it to a client's `plugins`.
 */
export function createStatsPlugin(): StatsPlugin {
  const byService = new Map<string, ProviderStats>();
  const statsOf = (service: string | undefined): ProviderStats => {
    const name = service ?? 'unnamed';
    let stats = byService.get(name);
    if (stats === undefined) {
      stats = emptyStats();
      byService.set(name, stats);
    }
    return stats;
  };
  return {
    name: 'demo-stats',
    byService,
    statsOf,
    onAttemptStart: ({ operation }) => {
      statsOf(operation.service).attempts++;
    },
    onAttemptEnd: ({ operation, kind }) => {
      if (kind === undefined) return;
      const errors = statsOf(operation.service).attemptErrors;
      errors[kind] = (errors[kind] ?? 0) + 1;
    },
    onRetryScheduled: ({ operation, error }) => {
      const stats = statsOf(operation.service);
      stats.retries++;
      if (error?.kind === 'rate-limit') stats.rateLimitWaits++;
    },
    onRejected: ({ operation }) => {
      statsOf(operation.service).rejected++;
    },
    onOperationEnd: ({ operation, error }) => {
      if (error !== undefined) statsOf(operation.service).failedOperations++;
    },
    onBreakerStateChange: ({ breaker, from, to }) => {
      const stats = statsOf(breaker);
      stats.transitions.push(`${from}→${to}`);
      stats.breaker = to;
    },
  };
}
