// B. A successful call through a circuit breaker, consecutive and sampling strategies.
import { CircuitState } from 'cockatiel';
import {
  cockatiel,
  expectOpensCockatiel,
  expectOpensOpossum,
  expectOpensOurs,
  expectState,
  opossum,
  ours,
} from '../breakers.mjs';
import { counting, expect, fn } from '../harness.mjs';

/** Successes pass through once each and leave the breaker closed. */
async function verifySuccesses(execute, name, count = 3) {
  const ok = counting();
  for (let i = 0; i < count; i++) expect((await execute(ok)) === 42, `${name}: must resolve with 42`);
  expect(ok.calls === count, `${name}: ${count} calls must run fn ${count} times, ran ${ok.calls}`);
}

const oursSubject = (strategy, limit) => ({
  name: `@resilient/core breaker, ${strategy}`,
  lib: 'resilient',
  key: `B.us.${strategy}`,
  setup() {
    const breaker = ours[strategy]();
    const name = `breaker (${strategy})`;
    return {
      run: () => breaker.execute(fn),
      async verify() {
        await expectOpensOurs(ours[strategy], limit, name);
        await verifySuccesses((f) => breaker.execute(f), name);
        expectState(breaker.state, 'closed', name);
      },
      check: () => expectState(breaker.state, 'closed', name),
    };
  },
});

const cockatielSubject = (strategy, limit) => ({
  name: `cockatiel breaker, ${strategy}`,
  lib: 'cockatiel',
  key: `B.cockatiel.${strategy}`,
  setup() {
    const breaker = cockatiel[strategy]();
    const name = `cockatiel breaker (${strategy})`;
    return {
      run: () => breaker.execute(fn),
      async verify() {
        await expectOpensCockatiel(cockatiel[strategy], limit, name);
        await verifySuccesses((f) => breaker.execute(f), name);
        expectState(breaker.state, CircuitState.Closed, name);
      },
      check: () => expectState(breaker.state, CircuitState.Closed, name),
    };
  },
});

const opossumSubject = (label, options) => ({
  name: `opossum breaker, ${label}`,
  lib: 'opossum',
  key: `B.opossum.${label}`,
  setup() {
    const breaker = opossum(fn, options);
    const name = `opossum (${label})`;
    return {
      run: () => breaker.fire(),
      async verify() {
        await expectOpensOpossum(options, 10, name);
        const before = breaker.stats;
        for (let i = 0; i < 3; i++) expect((await breaker.fire()) === 42, `${name}: must resolve with 42`);
        const after = breaker.stats;
        expect(after.successes - before.successes === 3, `${name}: 3 fires must record 3 successes`);
        expect(breaker.closed, `${name}: breaker must be closed`);
      },
      check: () => expect(breaker.closed, `${name}: breaker must still be closed`),
      dispose: () => breaker.shutdown(),
    };
  },
});

export default {
  id: 'B',
  title: 'success through a circuit breaker (consecutive and sampling)',
  subjects: [
    oursSubject('consecutive', 5),
    oursSubject('sampling', 10),
    cockatielSubject('consecutive', 5),
    // cockatiel's sampling breaker needs 5 failures per second over its 30 s window by default: 300 calls.
    cockatielSubject('sampling', 1000),
    opossumSubject('defaults', {}),
    opossumSubject('no timer, no percentiles', { timeout: false, rollingPercentilesEnabled: false }),
  ],
};
