import type { FakeResend, FakeSendGrid, FakeStripe, RateLimitOptions } from '@resilient/testing';

/** The providers of the demo, in the order a signup calls them (email: first preferred). */
export const PROVIDERS = ['stripe', 'resend', 'sendgrid'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The embedded fakes in use (a provider with a real key has none). */
export interface Fakes {
  stripe?: FakeStripe;
  resend?: FakeResend;
  sendgrid?: FakeSendGrid;
}

/** A chaos profile: how the fakes misbehave. Faults are seeded: a run draws the same ones each time. */
export interface Scenario {
  readonly name: string;
  /** One line: what happens, and what to look for. */
  readonly title: string;
  /** Rate limits the fakes enforce from the start. */
  readonly rateLimits?: Partial<Record<ProviderName, RateLimitOptions>>;
  /** A provider whose key the fake refuses: it was revoked. */
  readonly revokedKey?: ProviderName;
  /** Scripts the fakes' faults. */
  chaos(fakes: Fakes): void;
}

const STATUS_503 = { type: 'status', status: 503 } as const;

const SCENARIO_LIST: readonly Scenario[] = [
  {
    name: 'mixed',
    title:
      'Resend is down for the first requests, then flaky (429s, lost responses, resets); Stripe loses responses and throttles; SendGrid hiccups',
    chaos({ stripe, resend, sendgrid }) {
      stripe?.faults.atRandom({
        seed: 7,
        probability: 0.2,
        faults: [
          { type: 'applied-response-lost' },
          { type: 'status', status: 429 },
          { type: 'status', status: 500 },
          { type: 'latency', ms: 150 },
        ],
      });
      // An outage as the burst starts: the breaker opens and signups fail over to SendGrid until a
      // probe finds Resend back.
      resend?.faults.repeat(STATUS_503, 5).atRandom({
        seed: 11,
        probability: 0.2,
        faults: [
          { type: 'status', status: 429, retryAfterSeconds: 1 },
          { type: 'applied-response-lost' },
          { type: 'reset' },
          { type: 'latency', ms: 200 },
        ],
      });
      sendgrid?.faults.atRandom({ seed: 17, probability: 0.1, faults: [STATUS_503] });
    },
  },
  {
    name: 'calm',
    title: 'no faults: the baseline, one attempt per call',
    chaos() {},
  },
  {
    name: 'resend-down',
    title:
      'Resend answers 503 to everything: its breaker opens and every welcome email fails over to SendGrid',
    chaos({ resend }) {
      resend?.faults.atRandom({ seed: 1, probability: 1, faults: [STATUS_503] });
    },
  },
  {
    name: 'rate-limit-storm',
    title:
      "Resend allows 4 requests a second and Stripe 10: 429s are waited out per Retry-After, and what Resend can't take goes to SendGrid",
    rateLimits: { resend: { limit: 4, windowMs: 1_000 }, stripe: { limit: 10, windowMs: 1_000 } },
    chaos() {},
  },
  {
    name: 'stripe-lost-response',
    title:
      'Stripe creates the customer, then the connection drops before the answer: the retry under the same idempotency key gets the same customer back',
    chaos({ stripe }) {
      stripe?.faults.atRandom({ seed: 3, probability: 0.4, faults: [{ type: 'applied-response-lost' }] });
    },
  },
  {
    name: 'revoked-key',
    title:
      'our Resend key was revoked: Resend refuses every send (invalid_api_key), each fails over to SendGrid, and the on-call person is paged once',
    revokedKey: 'resend',
    chaos() {},
  },
];

export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map(SCENARIO_LIST.map((s) => [s.name, s]));
export const SCENARIO_NAMES: readonly string[] = SCENARIO_LIST.map((scenario) => scenario.name);
export const DEFAULT_SCENARIO = 'mixed';

/** The scenario named `name`; throws a message that lists the known ones. */
export function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.get(name);
  if (scenario === undefined)
    throw new RangeError(`unknown scenario "${name}"; choose one of ${SCENARIO_NAMES.join(', ')}`);
  return scenario;
}
