import { createHash } from 'node:crypto';
import { type EmailClient, EmailDeliveryError } from '@resilient/email';
import type { CreatedCustomer, CustomerService } from './customers';

export interface SignupRequest {
  readonly email: string;
  readonly name: string;
}

/** The welcome email: sent (by which provider, after which failures), or held back with the reason. */
export type WelcomeOutcome =
  | {
      readonly status: 'sent';
      readonly provider: string;
      readonly attempts: number;
      /** The providers that failed first, in order: each one a failover. */
      readonly failures: readonly string[];
    }
  | {
      readonly status: 'held';
      /** Why no provider sent it: `duplicate-risk` (one may have), `exhausted`, ... */
      readonly reason: string;
      readonly kind: string;
      /** The providers that failed, in order (the last one stopped the send). */
      readonly failures: readonly string[];
    };

export interface SignupResult {
  /** Derived from the email address: the same person signing up twice is the same signup. */
  readonly signupId: string;
  readonly customer: CreatedCustomer;
  readonly welcome: WelcomeOutcome;
  /** True when this signup had already been completed: the stored result, nothing sent again. */
  readonly replayed: boolean;
}

export interface SignupFlowOptions {
  readonly customers: CustomerService;
  readonly email: EmailClient;
  /** The welcome email's sender, such as `Acme <onboarding@resend.dev>`. */
  readonly from: string;
}

/** The signup's id: a digest of the normalised address, so a repeated signup has the same keys. */
export function signupIdFor(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24);
}

/**
 * The signup: a Stripe customer, then a welcome email. Both carry idempotency keys derived from the
 * signup, so every retry (by the SDK, by a client re-sending the request) is deduplicated by the
 * provider: one customer and one email per signup. A failed customer creation rejects (the signup did
 * not happen); a welcome email no provider could send is reported as held back, not as a failure of the
 * signup, to be retried later under the same key. A signup already completed is answered from the service's
 * record (`replayed`), with nothing sent again.
 */
export function createSignupFlow(
  options: SignupFlowOptions,
): (request: SignupRequest) => Promise<SignupResult> {
  // The service's own record of signups (a table with a unique email, in a real one). SendGrid has no
  // idempotency keys: without this, the same signup sent twice would email twice through it. A signup
  // that failed, or whose email was held back, is forgotten, so sending it again finishes it.
  const signups = new Map<string, Promise<SignupResult>>();
  return (request) => {
    const signupId = signupIdFor(request.email);
    const known = signups.get(signupId);
    if (known !== undefined) return known.then((result) => ({ ...result, replayed: true }));
    const running = signUp(options, signupId, request);
    signups.set(signupId, running);
    running.then(
      (result) => {
        if (result.welcome.status !== 'sent') signups.delete(signupId);
      },
      () => signups.delete(signupId),
    );
    return running;
  };
}

async function signUp(
  options: SignupFlowOptions,
  signupId: string,
  { email, name }: SignupRequest,
): Promise<SignupResult> {
  const customer = await options.customers.create({ email, name, signupId }, `signup-${signupId}-customer`);
  let welcome: WelcomeOutcome;
  try {
    const sent = await options.email.send(
      {
        from: options.from,
        to: { email, name },
        subject: `Welcome to Acme, ${name}`,
        text: `Hi ${name}, your account is ready.`,
        html: `<p>Hi ${escapeHtml(name)}, your account is ready.</p>`,
        tags: { category: 'welcome' },
      },
      { idempotencyKey: `signup-${signupId}-welcome` },
    );
    welcome = {
      status: 'sent',
      provider: sent.provider,
      attempts: sent.attempts,
      failures: sent.failures.map((failure) => failure.provider),
    };
  } catch (error) {
    if (!EmailDeliveryError.isInstance(error)) throw error;
    welcome = {
      status: 'held',
      reason: error.reason,
      kind: error.kind,
      failures: error.failures.map((failure) => failure.provider),
    };
  }
  return { signupId, customer, welcome, replayed: false };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
