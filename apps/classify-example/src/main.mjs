// Real HTTP failures from a local fake provider, classified by @resilient/core and handled by its
// standard pipeline. Run with `pnpm start` from the repository root; `--check` also verifies every row.
import { classifyError, constantBackoff, KIND_INFO, resilient } from '@resilient/core';
import { startFakeProvider } from './fake-provider.mjs';
import { callProvider } from './provider-client.mjs';

const check = process.argv.includes('--check');
const API_KEY = 'sk_live_EXAMPLEdoNotPrint1234';
const provider = await startFakeProvider();
const closedPort = await findClosedPort();
const problems = [];

const ADVICE = {
  'rate-limit': 'wait for Retry-After, then retry',
  'quota-exceeded': 'stop until the quota resets; raise the plan',
  auth: 'page a person once: the key is invalid or revoked',
  'invalid-request': 'fix the request; never retry',
  conflict: 'same idempotency key still running: retry later',
  server: 'retry an idempotent call; reconcile otherwise',
  unavailable: 'retry with backoff; fail over',
  network: 'retry if not sent or idempotent',
  timeout: 'retry only an idempotent call',
};

const cases = [
  {
    name: 'Resend 429 with Retry-After',
    path: '/rate-limited',
    expect: { kind: 'rate-limit', retryAfterMs: 1000 },
  },
  { name: 'Resend daily quota', path: '/quota', expect: { kind: 'quota-exceeded', retryable: false } },
  { name: 'SendGrid 429, x-ratelimit-reset', path: '/sendgrid-throttled', expect: { kind: 'rate-limit' } },
  {
    name: 'Stripe 500',
    path: '/server-error',
    expect: { kind: 'server', outcome: 'unknown', requestId: 'req_500' },
  },
  {
    name: '503 maintenance',
    path: '/unavailable',
    expect: { kind: 'unavailable', outcome: 'failed', retryAfterMs: 2000 },
  },
  { name: 'revoked key (401)', path: '/unauthorized', expect: { kind: 'auth', retryable: false } },
  {
    name: 'Stripe card declined (402)',
    path: '/card-declined',
    expect: { kind: 'invalid-request', retryable: false },
  },
  {
    name: 'Stripe idempotency key in use',
    path: '/idempotency-in-use',
    expect: { kind: 'conflict', retryable: true },
  },
  { name: 'connection reset mid-request', path: '/reset', expect: { kind: 'network', outcome: 'unknown' } },
  {
    name: 'connection refused',
    base: `http://127.0.0.1:${closedPort}`,
    path: '/ok',
    expect: { kind: 'network', outcome: 'not-sent' },
  },
  { name: 'hung socket (300 ms timeout)', path: '/hang', timeoutMs: 300, expect: { kind: 'timeout' } },
];

console.log(`\nHow @resilient/core classifies real provider failures (fake provider at ${provider.url})\n`);
const rows = [];
for (const testCase of cases) {
  let error;
  try {
    const signal = testCase.timeoutMs ? AbortSignal.timeout(testCase.timeoutMs) : undefined;
    await callProvider(testCase.base ?? provider.url, testCase.path, { signal, apiKey: API_KEY });
    problems.push(`${testCase.name}: the call did not fail`);
    continue;
  } catch (raw) {
    error = classifyError(raw, { service: 'provider' });
  }
  for (const [field, value] of Object.entries(testCase.expect)) {
    if (error[field] !== value)
      problems.push(`${testCase.name}: ${field} is ${error[field]}, expected ${value}`);
  }
  if (String(error.message).includes(API_KEY) || JSON.stringify(error).includes(API_KEY)) {
    problems.push(`${testCase.name}: the API key leaked into the error`);
  }
  rows.push({
    failure: testCase.name,
    HTTP: error.status ?? '-',
    kind: error.kind,
    retryable: error.retryable ? 'yes' : 'no',
    outcome: error.outcome,
    'retry after': error.retryAfterMs === undefined ? '-' : `${error.retryAfterMs} ms`,
    'breaker counts': KIND_INFO[error.kind].providerFailure ? 'yes' : 'no',
    'what to do': ADVICE[error.kind] ?? '',
  });
}
console.table(rows);

console.log('\nThe same failures through resilient({ service: "provider" }):\n');
const attemptsSeen = [];
// A fresh pipeline per scenario, so one scenario's failures do not open the breaker for the next.
const makePolicy = () =>
  resilient({
    service: 'provider',
    attemptTimeoutMs: 300,
    totalTimeoutMs: 3000,
    retry: { backoff: constantBackoff(50) },
    plugins: [
      {
        name: 'attempt-log',
        onAttemptEnd: ({ attempt, error }) => attemptsSeen.push(`${attempt}:${error ? error.kind : 'ok'}`),
      },
    ],
  });
const scenarios = [
  { name: 'flaky (503, 503, 200)', path: '/flaky', expect: { result: 'msg_flaky', attempts: 3 } },
  { name: 'revoked key', path: '/unauthorized', expect: { kind: 'auth', attempts: 1 } },
  { name: 'card declined', path: '/card-declined', expect: { kind: 'invalid-request', attempts: 1 } },
  { name: 'reset, POST without key', path: '/reset', expect: { kind: 'network', attempts: 1 } },
  {
    name: 'reset, with idempotency key',
    path: '/reset',
    options: { idempotencyKey: 'signup-42' },
    expect: { kind: 'network', attempts: 3 },
  },
  {
    name: 'hung socket, idempotent GET',
    path: '/hang',
    options: { idempotent: true },
    expect: { kind: 'timeout', attempts: 3 },
  },
];
for (const scenario of scenarios) {
  attemptsSeen.length = 0;
  const started = Date.now();
  const policy = makePolicy();
  let line;
  try {
    const body = await policy.execute(
      ({ signal }) => callProvider(provider.url, scenario.path, { signal, apiKey: API_KEY }),
      scenario.options,
    );
    line = `ok: ${body.id}`;
    if (scenario.expect.result !== body.id) problems.push(`${scenario.name}: unexpected result ${body.id}`);
    if (scenario.expect.attempts !== attemptsSeen.length)
      problems.push(`${scenario.name}: ${attemptsSeen.length} attempts`);
  } catch (error) {
    line = `${error.name} (${error.kind}) after ${error.attempts} attempt(s)`;
    if (error.kind !== scenario.expect.kind) problems.push(`${scenario.name}: kind ${error.kind}`);
    if (error.attempts !== scenario.expect.attempts)
      problems.push(`${scenario.name}: ${error.attempts} attempts`);
  }
  console.log(
    `  ${scenario.name.padEnd(30)} ${line.padEnd(44)} [${attemptsSeen.join(' ')}] ${Date.now() - started} ms`,
  );
}

// The breaker opens when a provider keeps failing: further calls fail fast without touching it.
const shared = makePolicy();
for (let call = 0; call < 12; call++) {
  await shared
    .execute(({ signal }) => callProvider(provider.url, '/reset', { signal, apiKey: API_KEY }))
    .catch(() => {});
}
const started = Date.now();
const rejected = await shared
  .execute(() => callProvider(provider.url, '/ok', { apiKey: API_KEY }))
  .catch((error) => error);
console.log(
  `\n  after 12 resets in a row the breaker is ${shared.breaker.state}: next call -> ${rejected.name}, retry in ${rejected.retryAfterMs} ms, ${Date.now() - started} ms`,
);
if (shared.breaker.state !== 'open' || rejected.kind !== 'circuit-open')
  problems.push('the breaker did not open on a failing provider');

await provider.close();
if (problems.length > 0) {
  console.error(`\n${problems.length} unexpected result(s):\n- ${problems.join('\n- ')}`);
  process.exitCode = 1;
} else if (check) {
  console.log('\nexample check: every failure classified and handled as documented');
}

async function findClosedPort() {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
