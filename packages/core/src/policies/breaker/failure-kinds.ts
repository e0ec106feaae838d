import { type ErrorKind, isErrorKind, KIND_INFO } from '../../errors/error-kind';
import { show } from '../../internal/validate';

// Which error kinds a circuit breaker counts, ignores, or may be told to count.

/** Kinds that can never count against a provider. */
const NEVER_COUNTED: ReadonlySet<ErrorKind> = new Set([
  'invalid-request',
  'auth',
  'permission',
  'not-found',
  'conflict',
  'quota-exceeded',
  'cancelled',
  'circuit-open',
  'bulkhead-rejected',
  'rate-limiter-rejected',
  'unknown',
]);

/** Kinds that `failureKinds` may list. */
const COUNTABLE: readonly ErrorKind[] = (Object.keys(KIND_INFO) as ErrorKind[]).filter(
  (kind) => !NEVER_COUNTED.has(kind),
);

/** Kinds that say nothing about the provider's health: they neither count as failures nor as successes. */
export const NEUTRAL: ReadonlySet<ErrorKind> = new Set([
  'cancelled',
  'circuit-open',
  'bulkhead-rejected',
  'rate-limiter-rejected',
  'unknown',
]);

let DEFAULT_KINDS: ReadonlySet<ErrorKind> | undefined;
let DEFAULT_KINDS_WITH_RATE_LIMITS: ReadonlySet<ErrorKind> | undefined;

function providerFailureKinds(): ErrorKind[] {
  return (Object.keys(KIND_INFO) as ErrorKind[]).filter((kind) => KIND_INFO[kind].providerFailure);
}

/** @internal The set of kinds a breaker counts, from its options; the defaults are shared. */
export function resolveFailureKinds(
  value: readonly ErrorKind[] | undefined,
  countRateLimits: boolean,
): ReadonlySet<ErrorKind> {
  let kinds: ErrorKind[];
  if (value === undefined) {
    // The defaults are shared by every breaker that uses them.
    if (countRateLimits) {
      DEFAULT_KINDS_WITH_RATE_LIMITS ??= new Set([...providerFailureKinds(), 'rate-limit']);
      return DEFAULT_KINDS_WITH_RATE_LIMITS;
    }
    DEFAULT_KINDS ??= new Set(providerFailureKinds());
    return DEFAULT_KINDS;
  } else {
    if (!Array.isArray(value))
      throw new TypeError(
        `circuitBreaker: failureKinds must be an array of the kinds ${COUNTABLE.join(', ')}; got ${show(value)}`,
      );
    for (const kind of value) {
      if (!isErrorKind(kind))
        throw new TypeError(
          `circuitBreaker: failureKinds lists ${show(kind)}, which is not an error kind; accepted kinds are ${COUNTABLE.join(', ')}`,
        );
      if (NEVER_COUNTED.has(kind)) {
        throw new RangeError(
          `circuitBreaker: failureKinds cannot include "${kind}": it is not a failure of the provider; accepted kinds are ${COUNTABLE.join(', ')}`,
        );
      }
    }
    kinds = [...value];
  }
  if (countRateLimits) kinds.push('rate-limit');
  return new Set(kinds);
}
