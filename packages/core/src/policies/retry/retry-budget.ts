import type { Clock } from '../../clock/clock';
import { optionalNumber } from '../../internal/validate';

/** Options of a retry budget. */
export interface RetryBudgetOptions {
  /** Retries allowed per operation on top of the floor, from 0 to 1. Default: 0.2 (one retry per five calls). */
  ratio?: number;
  /** Retries always allowed per second, however little traffic there is. Default: 5. */
  minRetriesPerSecond?: number;
  /** The most retries that can be saved up for a burst. Default: 50. */
  maxTokens?: number;
}

/**
 * @internal A token bucket that stops retry storms: every operation deposits `ratio` tokens, time adds
 * `minRetriesPerSecond`, and every retry takes one. When a provider is down, retries fall to about
 * `ratio` of traffic instead of multiplying it by the attempt count. Time is read only when a retry asks.
 */
export class RetryBudget {
  private tokens: number;
  private readonly ratio: number;
  private readonly perMs: number;
  private readonly maxTokens: number;
  private lastRefill: number;

  constructor(
    options: RetryBudgetOptions,
    private readonly clock: Clock,
  ) {
    this.ratio = optionalNumber('retry', 'budget.ratio', options.ratio, 0.2, { min: 0, max: 1 });
    this.perMs =
      optionalNumber('retry', 'budget.minRetriesPerSecond', options.minRetriesPerSecond, 5, {
        min: 0,
        max: 1_000_000,
      }) / 1000;
    this.maxTokens = optionalNumber('retry', 'budget.maxTokens', options.maxTokens, 50, {
      min: 1,
      max: 1_000_000,
    });
    this.tokens = this.maxTokens;
    this.lastRefill = clock.now();
  }

  /** One operation started. */
  deposit(): void {
    const tokens = this.tokens + this.ratio;
    this.tokens = Math.min(tokens, this.maxTokens);
  }

  /** Takes a token for one retry; `false` when the budget is spent. */
  withdraw(): boolean {
    const now = this.clock.now();
    const elapsed = now - this.lastRefill;
    if (elapsed > 0) {
      this.tokens = Math.min(this.maxTokens, this.tokens + elapsed * this.perMs);
      this.lastRefill = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** The tokens left, for tests and health checks. */
  get available(): number {
    return this.tokens;
  }
}
