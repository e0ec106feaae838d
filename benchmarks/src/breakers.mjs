// Breakers as each scenario builds them, and the checks that prove a breaker counts and is closed or open.
import { circuitBreaker } from '@resilient/core';
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  handleAll,
  SamplingBreaker,
} from 'cockatiel';
import CircuitBreaker from 'opossum';
import { failing } from './errors.mjs';
import { expect, noop } from './harness.mjs';

/** The sampling strategy `resilient()` uses by default. */
export const SAMPLING = { type: 'sampling', failureRatio: 0.5, windowMs: 30_000, minimumThroughput: 10 };

export const ours = {
  consecutive: (extra = {}) => circuitBreaker({ strategy: { type: 'consecutive', threshold: 5 }, ...extra }),
  sampling: (extra = {}) => circuitBreaker({ strategy: { ...SAMPLING }, ...extra }),
};

export const cockatiel = {
  consecutive: (halfOpenAfter = 10_000) =>
    cockatielBreaker(handleAll, { halfOpenAfter, breaker: new ConsecutiveBreaker(5) }),
  sampling: (halfOpenAfter = 10_000) =>
    cockatielBreaker(handleAll, {
      halfOpenAfter,
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 30_000 }),
    }),
};

/** opossum mutates the options object it is given: always pass a fresh one. */
export const opossum = (action, options = {}) => new CircuitBreaker(action, { ...options });

/** Drives failures through `run` until `isOpen()`, at most `limit` of them; returns how many it took. */
export async function failUntilOpen(run, isOpen, limit, name) {
  for (let failures = 1; failures <= limit; failures++) {
    await run().then(noop, noop);
    if (isOpen()) return failures;
  }
  throw new Error(`${name}: still closed after ${limit} failures`);
}

/** A twin built by `make` opens under failures: the breaker under test is a real one. */
export async function expectOpensOurs(make, limit, name) {
  const twin = make();
  await failUntilOpen(
    () => twin.execute(failing),
    () => twin.state === 'open',
    limit,
    name,
  );
}

export async function expectOpensCockatiel(make, limit, name) {
  const twin = make();
  await failUntilOpen(
    () => twin.execute(failing),
    () => twin.state === CircuitState.Open,
    limit,
    name,
  );
}

export async function expectOpensOpossum(options, limit, name) {
  const twin = opossum(failing, options);
  try {
    await failUntilOpen(
      () => twin.fire(),
      () => twin.opened,
      limit,
      name,
    );
  } finally {
    twin.shutdown();
  }
}

export function expectState(actual, wanted, name) {
  expect(actual === wanted, `${name}: breaker must be ${wanted}, is ${actual}`);
}
