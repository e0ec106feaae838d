import { constantBackoff } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { createEmailClient, type EmailClientOptions, type EmailMessage } from '@resilient/email';
import { InMemoryEmailProvider, type InMemoryEmailProviderOptions } from '@resilient/email/testing';

/** A valid message. */
export const MESSAGE: EmailMessage = Object.freeze({
  from: 'Acme <hello@acme.example>',
  to: 'ada@example.com',
  subject: 'Welcome',
  text: 'Welcome aboard',
});

/** How a promise ended, read without letting a rejection go unhandled. */
export type Settled<T> =
  | { readonly status: 'resolved'; readonly value: T }
  | { readonly status: 'rejected'; readonly error: unknown }
  | { readonly status: 'pending' };

/**
 * Moves `clock` forward in steps until `promise` settles, up to `maxMs` of fake time (beyond every
 * default timeout), and says how it ended. `pending` afterwards means it would hang.
 */
export async function settle<T>(promise: Promise<T>, clock: FakeClock, maxMs = 300_000): Promise<Settled<T>> {
  let outcome: Settled<T> = { status: 'pending' };
  promise.then(
    (value) => {
      outcome = { status: 'resolved', value };
    },
    (error: unknown) => {
      outcome = { status: 'rejected', error };
    },
  );
  await clock.flush();
  for (let elapsed = 0; outcome.status === 'pending' && elapsed < maxMs; elapsed += 250)
    await clock.advance(250);
  return outcome;
}

/** The error `promise` rejects with, moving `clock` as needed; fails if it resolves or hangs. */
export async function errorOf(promise: Promise<unknown>, clock: FakeClock): Promise<unknown> {
  const outcome = await settle(promise, clock);
  if (outcome.status !== 'rejected') throw new Error(`expected a rejection, got ${outcome.status}`);
  return outcome.error;
}

/** A primary and a secondary in-memory provider and a client over both, on a fake clock. */
export function twoProviders(
  options: {
    readonly primary?: InMemoryEmailProviderOptions;
    readonly secondary?: InMemoryEmailProviderOptions;
  } & Omit<EmailClientOptions, 'providers'> = {},
) {
  const { primary: primaryOptions, secondary: secondaryOptions, ...clientOptions } = options;
  const clock = new FakeClock();
  const primary = new InMemoryEmailProvider({ name: 'primary', ...primaryOptions });
  const secondary = new InMemoryEmailProvider({ name: 'secondary', ...secondaryOptions });
  const client = createEmailClient({
    pipeline: { retry: { backoff: constantBackoff(100) } },
    clock,
    ...clientOptions,
    providers: [primary, secondary],
  });
  return { clock, primary, secondary, client };
}
