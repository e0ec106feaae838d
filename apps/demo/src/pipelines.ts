import { decorrelatedJitterBackoff, type RandomSource } from '@resilient/core';
import type { EmailPipelineOptions } from '@resilient/email';

/**
 * The demo's policy settings, shared by every provider: core's standard pipeline with tighter times,
 * so a burst shows retries, breaker trips and recoveries within seconds. Production code can keep the
 * defaults (30 s total, 10 s per attempt, backoff from 1 s, breaks from 5 s).
 */
export function demoPipeline(random: RandomSource): EmailPipelineOptions {
  return {
    totalTimeoutMs: 15_000,
    attemptTimeoutMs: 3_000,
    retry: {
      maxAttempts: 3,
      backoff: decorrelatedJitterBackoff({ baseDelayMs: 100, maxDelayMs: 1_000 }),
      // Retry-After up to 5 s is waited out; a provider asking for longer fails over at once.
      maxRetryAfterMs: 5_000,
    },
    // Opens after 5 provider failures in a row; a probe goes through after 1 s (2 s, 4 s if it fails).
    circuitBreaker: {
      strategy: { type: 'consecutive', threshold: 5 },
      breakDuration: { initialMs: 1_000, maxMs: 4_000, factor: 2, jitter: 0.1 },
    },
    random,
  };
}

/** The SendGrid SDK's own HTTP timeout: at most the attempt timeout, so abandoned calls do not pile up. */
export const SENDGRID_TIMEOUT_MS = 3_000;
