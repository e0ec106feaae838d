import { EmailDeliveryError } from '../errors/email-delivery-error';
import type { ProviderFailure } from '../errors/provider-failure';
import { type FailoverRules, stopReason } from './failover-rules';
import type { LaneRequest, ProviderLane } from './provider-lane';

/** @internal What a successful delivery reports. */
export interface Delivered<T> {
  readonly value: T;
  readonly provider: string;
  readonly attempts: number;
  readonly failures: readonly ProviderFailure[];
}

/**
 * @internal Tries each lane in order until one delivers. After a failure it moves on only when the
 * rules allow it; otherwise, or when no lane is left, it throws an {@link EmailDeliveryError} that says
 * what each provider did. Always settles: each lane's pipeline has a timeout.
 */
export async function deliverWithFailover<T>(
  lanes: readonly ProviderLane[],
  rules: FailoverRules,
  request: LaneRequest<T>,
): Promise<Delivered<T>> {
  const failures: ProviderFailure[] = [];
  for (let index = 0; index < lanes.length; index++) {
    const lane = lanes[index]!;
    const result = await lane.run(request);
    if (result.ok) {
      return { value: result.value, provider: lane.provider.name, attempts: result.attempts, failures };
    }
    failures.push(result.failure);
    const reason = stopReason(result.failure, rules, index < lanes.length - 1);
    if (reason !== undefined) {
      throw new EmailDeliveryError({
        failures,
        reason,
        untried: lanes.slice(index + 1).map((next) => next.provider.name),
        idempotencyKey: request.idempotencyKey,
      });
    }
  }
  // Unreachable: the last lane always stops (`exhausted` at the latest). Kept for the type checker.
  throw new RangeError('deliverWithFailover: no provider to try');
}
