// D. Fail-fast while the breaker is open: the call is rejected without running fn.
import { CircuitOpenError, resilient } from '@resilient/core';
import { BrokenCircuitError, CircuitState } from 'cockatiel';
import { cockatiel, expectState, failUntilOpen, opossum, ours } from '../breakers.mjs';
import { failing, unavailable } from '../errors.mjs';
import { counting, expect, fn, noop, rejection } from '../harness.mjs';

const LONG = 600_000; // the break outlasts the run: the breaker stays open throughout.

/** A call is rejected, fn is not run, and `isRejection` recognises the error. */
async function verifyRejects(execute, isRejection, name) {
  const spy = counting();
  for (let i = 0; i < 3; i++) {
    const error = await rejection(execute(spy), name);
    expect(isRejection(error), `${name}: wrong rejection: ${error?.name}: ${error?.message}`);
  }
  expect(spy.calls === 0, `${name}: an open breaker must not run fn, ran it ${spy.calls} times`);
}

const isOurs = (error) => CircuitOpenError.isInstance(error) && error.kind === 'circuit-open';

export default {
  id: 'D',
  title: 'fail-fast while the breaker is open',
  subjects: [
    {
      name: '@resilient/core breaker, opened by failures',
      lib: 'resilient',
      key: 'D.us',
      async setup() {
        const breaker = ours.consecutive({ breakDuration: LONG });
        const name = 'breaker (open)';
        const opened = await failUntilOpen(
          () => breaker.execute(failing),
          () => breaker.state === 'open',
          5,
          name,
        );
        expect(opened === 5, `${name}: must open after exactly 5 failures, took ${opened}`);
        return {
          run: () => breaker.execute(fn).then(undefined, noop),
          async verify() {
            expectState(breaker.state, 'open', name);
            await verifyRejects((f) => breaker.execute(f), isOurs, name);
          },
          check: () => expectState(breaker.state, 'open', name),
        };
      },
    },
    {
      name: '@resilient/core resilient(), breaker isolated',
      lib: 'resilient',
      key: 'D.us.resilient',
      setup() {
        const policy = resilient({ service: 'bench' });
        policy.breaker.isolate();
        const name = 'resilient() (isolated)';
        return {
          run: () => policy.execute(fn).then(undefined, noop),
          async verify() {
            expectState(policy.breaker.state, 'isolated', name);
            await verifyRejects((f) => policy.execute(f), isOurs, name);
          },
          check: () => expectState(policy.breaker.state, 'isolated', name),
        };
      },
    },
    {
      name: 'cockatiel breaker, opened by failures',
      lib: 'cockatiel',
      key: 'D.cockatiel',
      async setup() {
        const breaker = cockatiel.consecutive(LONG);
        const name = 'cockatiel breaker (open)';
        await failUntilOpen(
          () => breaker.execute(failing),
          () => breaker.state === CircuitState.Open,
          5,
          name,
        );
        return {
          run: () => breaker.execute(fn).then(undefined, noop),
          async verify() {
            expectState(breaker.state, CircuitState.Open, name);
            await verifyRejects(
              (f) => breaker.execute(f),
              (error) => error instanceof BrokenCircuitError,
              name,
            );
          },
          check: () => expectState(breaker.state, CircuitState.Open, name),
        };
      },
    },
    {
      name: 'opossum breaker, opened by failures',
      lib: 'opossum',
      key: 'D.opossum',
      async setup() {
        // opossum's action is fixed at construction: a spy that fails while opening, then would succeed.
        let failNow = true;
        const action = counting(() => {
          if (failNow) throw unavailable;
          return 42;
        });
        const breaker = opossum(action, { resetTimeout: LONG });
        const name = 'opossum (open)';
        await failUntilOpen(
          () => breaker.fire(),
          () => breaker.opened,
          5,
          name,
        );
        failNow = false;
        const isOpenError = (error) => error?.code === 'EOPENBREAKER';
        return {
          run: () => breaker.fire().then(undefined, noop),
          async verify() {
            expect(breaker.opened, `${name}: breaker must be open`);
            const calls = action.calls;
            await verifyRejects(() => breaker.fire(), isOpenError, name);
            expect(action.calls === calls, `${name}: an open breaker must not run the action`);
          },
          async check() {
            expect(breaker.opened, `${name}: breaker must still be open`);
          },
          dispose: () => breaker.shutdown(),
        };
      },
    },
  ],
};
