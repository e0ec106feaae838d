import type { SignupResult } from './signup-flow';

/** One signup as the driver saw it over HTTP. */
export interface DrivenSignup {
  /** From 1. */
  readonly n: number;
  readonly email: string;
  /** The HTTP status, or 0 when the request itself failed. */
  readonly status: number;
  /** The service's answer: a signup result with `traceId`, or `{ error, kind?, traceId? }`. */
  readonly body: SignupAnswer | undefined;
  /** Requests sent for it: 2 when the first got a 503 and the driver sent it again. */
  readonly tries: number;
  /** The answer to the first request, when it was a 503. */
  readonly firstAnswer?: SignupAnswer | undefined;
}

export type SignupAnswer = Partial<SignupResult> & { traceId?: string; error?: string; kind?: string };

export interface DriveOptions {
  /** The service, such as `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly count: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Arrivals per second: signup `n` is sent no earlier than `(n - 1) / rate` s after the first. */
  readonly ratePerSecond: number;
  /** The address of signup `n`. */
  readonly emailFor: (n: number) => string;
  /** Called after each signup (for a progress line). */
  readonly onSignup?: (signup: DrivenSignup) => void;
}

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Tim'];

/**
 * Posts `count` signups to `POST /signup` as a burst of real users would: over HTTP, each with its
 * own address, arriving at `ratePerSecond`, at most `concurrency` in flight (a slow provider makes
 * them queue). Resolves with every answer, in signup order.
 */
export async function driveSignups(options: DriveOptions): Promise<DrivenSignup[]> {
  const results: DrivenSignup[] = new Array(options.count);
  const start = performance.now();
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= options.count) {
      const n = next++;
      const wait = start + ((n - 1) * 1_000) / options.ratePerSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const signup = await signUp(options.url, n, options.emailFor(n));
      results[n - 1] = signup;
      options.onSignup?.(signup);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  return results;
}

/** Longest `Retry-After` the driver waits before sending a signup again. */
const MAX_RETRY_AFTER_MS = 2_000;

/**
 * One user's signup: a 503 (the service could not reach Stripe, and says when to come back) is sent
 * once more after its `Retry-After`, as a browser retry or a user clicking again would. The signup's
 * idempotency keys derive from the address, so the second request cannot create a second customer.
 */
async function signUp(url: string, n: number, email: string): Promise<DrivenSignup> {
  const name = `${NAMES[(n - 1) % NAMES.length]} ${n}`;
  const first = await postSignup(url, email, name);
  if (first.status !== 503) return { n, email, ...first, tries: 1 };
  await new Promise((resolve) =>
    setTimeout(resolve, Math.min(first.retryAfterMs ?? 500, MAX_RETRY_AFTER_MS)),
  );
  const second = await postSignup(url, email, name);
  return { n, email, status: second.status, body: second.body, tries: 2, firstAnswer: first.body };
}

interface Answer {
  readonly status: number;
  readonly body: SignupAnswer | undefined;
  readonly retryAfterMs?: number | undefined;
}

async function postSignup(url: string, email: string, name: string): Promise<Answer> {
  try {
    const response = await fetch(`${url}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json().catch(() => undefined)) as SignupAnswer | undefined;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    return { status: response.status, body, retryAfterMs: retryAfter >= 0 ? retryAfter * 1_000 : undefined };
  } catch (error) {
    return { status: 0, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
