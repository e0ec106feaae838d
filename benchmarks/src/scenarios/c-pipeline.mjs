// C. A successful call through the standard pipeline: total timeout, retry, breaker, attempt timeout.
import {
  CircuitBreakerPolicy,
  circuitBreaker,
  exponentialBackoff,
  pipeline,
  RetryPolicy,
  resilient,
  retry,
  TimeoutPolicy,
  timeout,
} from '@resilient/core';
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  ExponentialBackoff,
  handleAll,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { counting, expect, fn } from '../harness.mjs';

/** One call per success; inside it, the total timeout's deadline is about 30 s away. */
async function verifyOurs(policy, name, breaker) {
  const deadlines = [];
  const ok = counting((context) => {
    deadlines.push(context.deadline - Date.now());
    return 42;
  });
  for (let i = 0; i < 3; i++) expect((await policy.execute(ok)) === 42, `${name}: must resolve with 42`);
  expect(ok.calls === 3, `${name}: 3 calls must run fn 3 times, ran ${ok.calls}`);
  expect(
    deadlines.every((left) => left > 29_000 && left <= 30_000),
    `${name}: the total timeout must set a 30 s deadline, saw ${deadlines.join(', ')} ms left`,
  );
  expect(breaker.state === 'closed', `${name}: breaker must be closed`);
}

function expectShape(policies, name) {
  const shape = policies.map((policy) => policy.constructor.name).join(' > ');
  const wanted = [TimeoutPolicy, RetryPolicy, CircuitBreakerPolicy, TimeoutPolicy];
  expect(
    policies.length === 4 && policies.every((policy, index) => policy instanceof wanted[index]),
    `${name}: must be timeout > retry > breaker > timeout, is ${shape}`,
  );
  expect(
    policies[0].timeoutMs === 30_000 && policies[3].timeoutMs === 10_000,
    `${name}: timeouts must be 30 s and 10 s`,
  );
  expect(policies[1].maxAttempts === 3, `${name}: retry must allow 3 attempts`);
}

function cockatielPolicies() {
  const breaker = cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  const retryPolicy = cockatielRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() });
  return { breaker, retryPolicy };
}

async function verifyCockatiel(policy, breaker, name, wantSignal) {
  const ok = counting((context) => {
    if (wantSignal) expect(context?.signal instanceof AbortSignal, `${name}: fn must get a signal`);
    return 42;
  });
  for (let i = 0; i < 3; i++) expect((await policy.execute(ok)) === 42, `${name}: must resolve with 42`);
  expect(ok.calls === 3, `${name}: 3 calls must run fn 3 times, ran ${ok.calls}`);
  expect(breaker.state === CircuitState.Closed, `${name}: breaker must be closed`);
}

export default {
  id: 'C',
  title: 'success through the standard pipeline (total timeout, retry, breaker, attempt timeout)',
  subjects: [
    {
      name: '@resilient/core resilient({ service }) defaults',
      lib: 'resilient',
      key: 'C.us.resilient',
      setup() {
        const policy = resilient({ service: 'bench' });
        const name = 'resilient()';
        return {
          run: () => policy.execute(fn),
          async verify() {
            expectShape(policy.policies, name);
            await verifyOurs(policy, name, policy.breaker);
          },
          check: () => expect(policy.breaker.state === 'closed', `${name}: breaker must still be closed`),
        };
      },
    },
    {
      name: '@resilient/core pipeline(timeout, retry, breaker, timeout)',
      lib: 'resilient',
      key: 'C.us.pipeline',
      setup() {
        const breaker = circuitBreaker({
          strategy: { type: 'consecutive', threshold: 5 },
          breakDuration: 10_000,
        });
        const policy = pipeline(
          timeout(30_000),
          retry({ maxAttempts: 3, backoff: exponentialBackoff() }),
          breaker,
          timeout(10_000),
        );
        const name = 'pipeline(4)';
        return {
          run: () => policy.execute(fn),
          async verify() {
            expectShape(policy.policies, name);
            await verifyOurs(policy, name, breaker);
          },
          check: () => expect(breaker.state === 'closed', `${name}: breaker must still be closed`),
        };
      },
    },
    {
      name: 'cockatiel wrap(timeout, retry, breaker, timeout)',
      lib: 'cockatiel',
      key: 'C.cockatiel.wrap4',
      setup() {
        const { breaker, retryPolicy } = cockatielPolicies();
        const policy = wrap(
          cockatielTimeout(30_000, TimeoutStrategy.Cooperative),
          retryPolicy,
          breaker,
          cockatielTimeout(10_000, TimeoutStrategy.Cooperative),
        );
        return {
          run: () => policy.execute(fn),
          verify: () => verifyCockatiel(policy, breaker, 'cockatiel wrap(4)', true),
          check: () =>
            expect(breaker.state === CircuitState.Closed, 'cockatiel wrap(4): breaker must still be closed'),
        };
      },
    },
    {
      name: '@resilient/core pipeline(retry, breaker)',
      lib: 'resilient',
      key: 'C.us.retryBreaker',
      setup() {
        const breaker = circuitBreaker({
          strategy: { type: 'consecutive', threshold: 5 },
          breakDuration: 10_000,
        });
        const policy = pipeline(retry({ maxAttempts: 3, backoff: exponentialBackoff() }), breaker);
        const name = 'pipeline(retry, breaker)';
        return {
          run: () => policy.execute(fn),
          async verify() {
            const ok = counting();
            for (let i = 0; i < 3; i++)
              expect((await policy.execute(ok)) === 42, `${name}: must resolve with 42`);
            expect(ok.calls === 3, `${name}: 3 calls must run fn 3 times, ran ${ok.calls}`);
            expect(policy.policies.length === 2, `${name}: must hold 2 policies`);
          },
          check: () => expect(breaker.state === 'closed', `${name}: breaker must still be closed`),
        };
      },
    },
    {
      name: 'cockatiel wrap(retry, breaker)',
      lib: 'cockatiel',
      key: 'C.cockatiel.wrap2',
      setup() {
        const { breaker, retryPolicy } = cockatielPolicies();
        const policy = wrap(retryPolicy, breaker);
        return {
          run: () => policy.execute(fn),
          verify: () => verifyCockatiel(policy, breaker, 'cockatiel wrap(2)', false),
          check: () =>
            expect(breaker.state === CircuitState.Closed, 'cockatiel wrap(2): breaker must still be closed'),
        };
      },
    },
  ],
};
