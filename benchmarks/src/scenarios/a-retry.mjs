// A. A successful call through a retry policy: 3 attempts at most, exponential backoff.
import { exponentialBackoff, retry } from '@resilient/core';
import { retry as cockatielRetry, ExponentialBackoff, handleAll } from 'cockatiel';
import { unavailable } from '../errors.mjs';
import { counting, expect, fn, rejection } from '../harness.mjs';

// Delays of 1 and 2 ms, so the verification's real retries are quick; a success never waits.
const ours = () => retry({ maxAttempts: 3, backoff: exponentialBackoff({ baseDelayMs: 1, maxDelayMs: 4 }) });
// cockatiel's maxAttempts counts retries: 2 retries = 3 attempts.
const theirs = () =>
  cockatielRetry(handleAll, {
    maxAttempts: 2,
    backoff: new ExponentialBackoff({ initialDelay: 1, maxDelay: 4 }),
  });

/** Exactly one call per success, three attempts for a call that keeps failing, and a retry that recovers. */
async function verifyRetry(policy, name, attemptsOf) {
  const ok = counting();
  for (let i = 0; i < 3; i++) expect((await policy.execute(ok)) === 42, `${name}: must resolve with 42`);
  expect(ok.calls === 3, `${name}: 3 successes must call fn 3 times, called ${ok.calls}`);
  const flaky = counting(() => {
    if (flaky.calls < 3) throw unavailable;
    return 42;
  });
  expect((await policy.execute(flaky)) === 42, `${name}: must recover on the third attempt`);
  expect(flaky.calls === 3, `${name}: a call failing twice must be tried 3 times, tried ${flaky.calls}`);
  const broken = counting(() => {
    throw unavailable;
  });
  const error = await rejection(policy.execute(broken), name);
  expect(
    broken.calls === 3,
    `${name}: an always-failing call must be tried exactly 3 times, tried ${broken.calls}`,
  );
  if (attemptsOf)
    expect(attemptsOf(error) === 3, `${name}: the error must say 3 attempts, says ${attemptsOf(error)}`);
}

export default {
  id: 'A',
  title: 'success through a retry policy (3 attempts max, exponential backoff)',
  subjects: [
    {
      name: '@resilient/core retry',
      lib: 'resilient',
      key: 'A.us',
      setup() {
        const policy = ours();
        return {
          run: () => policy.execute(fn),
          verify: () => verifyRetry(policy, 'retry', (error) => error.attempts),
        };
      },
    },
    {
      name: 'cockatiel retry',
      lib: 'cockatiel',
      key: 'A.cockatiel',
      setup() {
        const policy = theirs();
        return {
          run: () => policy.execute(fn),
          verify: () => verifyRetry(policy, 'cockatiel retry'),
        };
      },
    },
  ],
};
