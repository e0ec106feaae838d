import type { FakeServer } from './fake-server';
import type { FaultController } from './fault-controller';
import type { RateLimitOptions } from './rate-limit-window';
import type { RecordedRequest } from './recorded-request';

/** What every fake provider server exposes. */
export interface FakeProviderServer<Delivery> extends FakeServer {
  /** The messages the fake accepted, in order: what a real provider would have delivered. */
  readonly deliveries: readonly Delivery[];
  /** Every request received, faults included, in order (without credentials). */
  readonly requests: readonly RecordedRequest[];
  /** Fault injection: scripted (`enqueue`, `repeat`) or at random with a seed (`atRandom`). */
  readonly faults: FaultController;
  /** Forgets deliveries, requests, faults, idempotency keys and the rate-limit window. */
  reset(): void;
}

/** Options every fake provider server takes. */
export interface FakeProviderOptions {
  /**
   * The only API key accepted. Default: any non-empty key. A request without one, or with another,
   * gets the provider's authentication error.
   */
  readonly apiKey?: string;
  /** A rate limit to enforce, answered with the provider's 429 and headers. Default: none (and no headers). */
  readonly rateLimit?: RateLimitOptions;
  /** The clock for rate-limit windows, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}
