import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAKED_KEY } from './fixtures/leaked-key';

interface AssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const fault = (type: string, kind: string, outcome: string, retryable: boolean): string =>
  `reports ${type} as ${kind}, outcome ${outcome}, ${retryable ? 'retryable' : 'not retryable'}, with no API key in the error`;
const FAULT_TITLES = [
  fault('rate-limit', 'rate-limit', 'failed', true),
  fault('quota-exceeded', 'quota-exceeded', 'failed', false),
  fault('auth', 'auth', 'failed', false),
  fault('invalid-request', 'invalid-request', 'failed', false),
  fault('server', 'server', 'unknown', true),
  fault('unavailable', 'unavailable', 'failed', true),
  fault('network-refused', 'network', 'not-sent', true),
  fault('network-reset', 'network', 'unknown', true),
  fault('applied-response-lost', 'network', 'unknown', true),
];
const HANG = 'ends a hung send with a TimeoutError at the attempt timeout, and stops the request';
const RETRY_KEY = 'retries a refused send under the same idempotency key, and delivers it once';
const LOST_RESPONSE = 'never delivers twice when the response to a delivered send is lost';

/**
 * The suite is only worth something if it fails for a provider that breaks a rule. A child vitest runs
 * it against providers that each break one rule (test/fixtures/broken-providers.fixture.ts).
 */
describe('describeEmailProviderConformance', () => {
  let results: AssertionResult[] = [];
  let directory = '';

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'email-conformance-'));
    const outputFile = join(directory, 'results.json');
    const args = [vitestCli, 'run', '--config', 'test/fixtures/vitest.fixtures.config.ts', '--reporter=json'];
    // The child fails (some of its tests must): its report is what counts.
    await promisify(execFile)(process.execPath, [...args, `--outputFile=${outputFile}`], {
      cwd: packageRoot,
      env: { ...process.env, CI: '' },
    }).catch(() => undefined);
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[] }[];
    };
    results = report.testResults.flatMap((file) => file.assertionResults);
  }, 60_000);

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const failedTitles = (provider: string): string[] =>
    results
      .filter((result) => result.ancestorTitles[0] === `${provider}: email provider conformance`)
      .filter((result) => result.status === 'failed')
      .map((result) => result.title)
      .sort();

  it('passes a provider that keeps every rule', () => {
    const own = results.filter(
      (result) => result.ancestorTitles[0] === 'works-correctly: email provider conformance',
    );
    expect(own.length).toBeGreaterThan(10);
    expect(failedTitles('works-correctly')).toEqual([]);
  });

  it.each([
    ['leaks-key', FAULT_TITLES],
    ['unavailable-as-server', [fault('unavailable', 'unavailable', 'failed', true), RETRY_KEY]],
    ['unknown-as-failed', [...FAULT_TITLES.slice(6), LOST_RESPONSE]],
    ['no-retry-after', [FAULT_TITLES[0]!]],
    ['retries-internally', [...FAULT_TITLES, LOST_RESPONSE]],
    ['new-key-per-attempt', [RETRY_KEY, LOST_RESPONSE]],
    ['ignores-abort', [HANG]],
  ])('fails the tests of the rule that %s breaks, and only those', (provider, expected) => {
    expect(failedTitles(provider)).toEqual([...expected].sort());
  });

  it('fails every test of a harness whose API key is too short to prove anything', () => {
    const own = results.filter(
      (result) => result.ancestorTitles[0] === 'short-api-key: email provider conformance',
    );
    const ran = own.filter((result) => result.status !== 'skipped');
    expect(ran.length).toBeGreaterThan(10);
    for (const result of ran) {
      expect(result.status).toBe('failed');
      expect(result.failureMessages.join('\n')).toContain(
        "apiKey must be the provider's API key, at least 12 characters",
      );
    }
  });

  it('never prints the leaked key in its failure messages', () => {
    const messages = results.flatMap((result) => result.failureMessages).join('\n');
    expect(messages).toContain('shows the API key');
    expect(messages.includes(LEAKED_KEY)).toBe(false);
  });
});
