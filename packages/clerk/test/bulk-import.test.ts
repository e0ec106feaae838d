import { constantBackoff, type ErrorKind } from '@resilient/core';
import { type FakeClerk, startFakeClerk } from '@resilient/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResilientClerk } from '../src/index';

const SECRET = 'sk_test_bulk_import_0123456789';
const USERS = 500;
const WORKERS = 25;
let fake: FakeClerk;
beforeAll(async () => {
  // Clerk's Retry-After is in whole seconds, so this test takes a few seconds of real time.
  fake = await startFakeClerk({ apiKey: SECRET, rateLimit: { limit: 150, windowMs: 1_000 } });
});
afterAll(() => fake.close());

describe('a bulk import of 500 users', () => {
  it('finishes with exactly 500 users under a rate limit, resets and lost answers', async () => {
    fake.faults.atRandom({
      seed: 11,
      probability: 0.04,
      faults: [{ type: 'reset' }, { type: 'applied-response-lost' }, { type: 'status', status: 503 }],
    });
    const retried: { kind: ErrorKind | undefined; delayMs: number }[] = [];
    const client = createResilientClerk(
      { secretKey: SECRET, apiUrl: fake.url },
      {
        lookBeforeRetry: true,
        retry: { maxAttempts: 12, backoff: constantBackoff(10), budget: false },
        plugins: [
          {
            name: 'retries',
            onRetryScheduled: (event) => {
              retried.push({ kind: event.error?.kind, delayMs: event.delayMs });
            },
          },
        ],
      },
    );
    let next = 0;
    const created: string[] = [];
    const worker = async () => {
      while (next < USERS) {
        const index = next++;
        const user = await client.users.createUser({
          emailAddress: [`user${index}@example.com`],
          externalId: `import_${index}`,
        });
        created.push(user.id);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(fake.users).toHaveLength(USERS);
    expect(new Set(created).size).toBe(USERS);
    expect(new Set(fake.users.map((user) => user.external_id)).size).toBe(USERS);
    const throttled = retried.filter((retry) => retry.kind === 'rate-limit');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((retry) => retry.delayMs === 1_000)).toBe(true);
    expect(retried.some((retry) => retry.kind === 'network')).toBe(true);
    expect(fake.faults.applied.some((applied) => applied.fault.type === 'applied-response-lost')).toBe(true);
  });
});
