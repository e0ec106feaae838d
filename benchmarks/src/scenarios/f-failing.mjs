// F. A call that always fails: 3 attempts, no delay between them.
import { constantBackoff, retry } from '@resilient/core';
import { ConstantBackoff, retry as cockatielRetry, handleAll } from 'cockatiel';
import { failing, unavailable } from '../errors.mjs';
import { counting, expect, noop, rejection } from '../harness.mjs';

async function verifyThreeAttempts(execute, name, check) {
  for (let i = 0; i < 3; i++) {
    const spy = counting(() => {
      throw unavailable;
    });
    const error = await rejection(execute(spy), name);
    expect(spy.calls === 3, `${name}: must make exactly 3 attempts, made ${spy.calls}`);
    check(error);
  }
}

export default {
  id: 'F',
  title: 'an always-failing call, 3 attempts, zero delay',
  subjects: [
    {
      name: '@resilient/core retry, constantBackoff(0), no budget',
      lib: 'resilient',
      key: 'F.us',
      setup() {
        const policy = retry({ maxAttempts: 3, backoff: constantBackoff(0), budget: false });
        const name = 'retry (failing)';
        return {
          run: () => policy.execute(failing).then(undefined, noop),
          verify: () =>
            verifyThreeAttempts(
              (f) => policy.execute(f),
              name,
              (error) => {
                expect(
                  error.kind === 'unavailable',
                  `${name}: error kind must be unavailable, is ${error.kind}`,
                );
                expect(error.attempts === 3, `${name}: error must say 3 attempts, says ${error.attempts}`);
              },
            ),
        };
      },
    },
    {
      name: 'cockatiel retry, ConstantBackoff(0)',
      lib: 'cockatiel',
      key: 'F.cockatiel',
      setup() {
        const policy = cockatielRetry(handleAll, { maxAttempts: 2, backoff: new ConstantBackoff(0) });
        const name = 'cockatiel retry (failing)';
        return {
          run: () => policy.execute(failing).then(undefined, noop),
          verify: () =>
            verifyThreeAttempts(
              (f) => policy.execute(f),
              name,
              (error) => {
                expect(error === unavailable, `${name}: must reject with the thrown error`);
              },
            ),
        };
      },
    },
  ],
};
