// G. One failing call through a closed sampling breaker with 0, 10,000 and 100,000 successes in its window.
// Its cost must not grow with traffic. Each round builds the breaker afresh and fills its window; the
// breaker is configured never to open, and samples are capped so the failures measured add little to it.
import { circuitBreaker } from '@resilient/core';
import { CircuitState, circuitBreaker as cockatielBreaker, handleAll, SamplingBreaker } from 'cockatiel';
import { opossum } from '../breakers.mjs';
import { failing, unavailable } from '../errors.mjs';
import { counting, expect, fn, noop, rejection } from '../harness.mjs';

export const VOLUMES = [0, 10_000, 100_000];
const WINDOW_MS = 60_000;

async function fill(run, count) {
  for (let i = 0; i < count; i++) await run();
}

/** Our sampling strategy, never opening (the throughput floor is out of reach). */
const ourBreaker = (minimumThroughput = 1_000_000_000) =>
  circuitBreaker({
    strategy: { type: 'sampling', failureRatio: 0.5, windowMs: WINDOW_MS, minimumThroughput },
  });

const ourSubject = (volume) => ({
  name: `@resilient/core sampling, ${volume.toLocaleString('en')} in window`,
  lib: 'resilient',
  key: `G.us.${volume}`,
  async setup() {
    const breaker = ourBreaker();
    const name = `breaker (sampling, ${volume})`;
    const spy = counting();
    await fill(() => breaker.execute(spy), volume);
    expect(spy.calls === volume, `${name}: the window must be filled with ${volume} successes`);
    return {
      run: () => breaker.execute(failing).then(undefined, noop),
      async verify() {
        // A twin that opens at the first failure over 50%: it stays closed only if the successes count.
        const twin = ourBreaker(1);
        await fill(() => twin.execute(fn), volume);
        await twin.execute(failing).then(noop, noop);
        const wanted = volume === 0 ? 'open' : 'closed';
        expect(
          twin.state === wanted,
          `${name}: a twin with ${volume} successes must be ${wanted} after a failure`,
        );
        const error = await rejection(breaker.execute(failing), name);
        expect(
          error.kind === 'unavailable',
          `${name}: the failure must be a provider failure, is ${error.kind}`,
        );
        expect(breaker.state === 'closed', `${name}: breaker must be closed`);
      },
      check: () => expect(breaker.state === 'closed', `${name}: breaker must still be closed`),
    };
  },
});

const cockatielSubject = (volume) => ({
  name: `cockatiel SamplingBreaker, ${volume.toLocaleString('en')} in window`,
  lib: 'cockatiel',
  key: `G.cockatiel.${volume}`,
  async setup() {
    const sampler = new SamplingBreaker({ threshold: 0.5, duration: WINDOW_MS, minimumRps: 1e9 });
    const breaker = cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: sampler });
    const name = `cockatiel (sampling, ${volume})`;
    await fill(() => breaker.execute(fn), volume);
    return {
      run: () => breaker.execute(failing).then(undefined, noop),
      async verify() {
        expect(
          sampler.state.currentSuccesses === volume,
          `${name}: the window must hold ${volume} successes`,
        );
        const failures = sampler.state.currentFailures;
        await rejection(breaker.execute(failing), name);
        expect(sampler.state.currentFailures === failures + 1, `${name}: the failure must be counted`);
        expect(breaker.state === CircuitState.Closed, `${name}: breaker must be closed`);
      },
      check: () => expect(breaker.state === CircuitState.Closed, `${name}: breaker must still be closed`),
    };
  },
});

const opossumSubject = (volume) => ({
  name: `opossum, ${volume.toLocaleString('en')} in window`,
  lib: 'opossum',
  key: `G.opossum.${volume}`,
  async setup() {
    let failNow = false;
    const action = async () => {
      if (failNow) throw unavailable;
      return 42;
    };
    // Defaults, with a 60 s window and a threshold it cannot pass, so it stays closed.
    const breaker = opossum(action, { rollingCountTimeout: WINDOW_MS, errorThresholdPercentage: 100 });
    const name = `opossum (${volume})`;
    await fill(() => breaker.fire(), volume);
    failNow = true;
    return {
      run: () => breaker.fire().then(undefined, noop),
      async verify() {
        const stats = breaker.stats;
        expect(
          stats.successes === volume,
          `${name}: the window must hold ${volume} successes, holds ${stats.successes}`,
        );
        await rejection(breaker.fire(), name);
        expect(breaker.stats.failures === stats.failures + 1, `${name}: the failure must be counted`);
        expect(breaker.closed, `${name}: breaker must be closed`);
      },
      check: () => expect(breaker.closed, `${name}: breaker must still be closed`),
      dispose: () => breaker.shutdown(),
    };
  },
});

export default {
  id: 'G',
  title: 'one failing call through a closed sampling breaker vs successes in its window',
  // At most 40 samples of 32 calls per round: the window grows by at most ~1,300 failures.
  measure: {
    full: { min_samples: 12, max_samples: 40, batch_samples: 32, batch_unroll: 4 },
    quick: { batch_samples: 8, batch_unroll: 4 },
  },
  subjects: VOLUMES.flatMap((volume) => [
    ourSubject(volume),
    cockatielSubject(volume),
    opossumSubject(volume),
  ]),
};
