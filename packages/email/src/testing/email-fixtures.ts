import type { EmailMessage, SendContext } from '../email-provider';

/** For provider tests: the smallest valid message. */
export const simpleEmailMessage: EmailMessage = Object.freeze({
  from: 'hello@example.com',
  to: 'ada@example.com',
  subject: 'Hi',
  text: 'Hi',
});

/** For provider tests: a message that uses every field of the contract, attachments included. */
export const fullEmailMessage: EmailMessage = Object.freeze({
  from: { email: 'hello@example.com', name: 'Acme, Inc.' },
  to: ['ada@example.com', { email: 'grace@example.com', name: 'Grace Hopper' }],
  cc: 'Alan <alan@example.com>',
  bcc: ['audit@example.com'],
  replyTo: 'support@example.com',
  subject: 'Welcome',
  html: '<p>Welcome</p>',
  text: 'Welcome',
  headers: { 'X-Entity-Ref-ID': 'user-42' },
  tags: { category: 'welcome', plan: 'pro' },
  attachments: [
    { filename: 'hello.txt', content: new TextEncoder().encode('hello'), contentType: 'text/plain' },
    { filename: 'raw.bin', content: 'AAEC' },
  ],
});

/** For provider tests: a send context as the client builds it for one attempt (key `key-1`, attempt 1). */
export function sendContext(overrides: Partial<SendContext> = {}): SendContext {
  return { signal: new AbortController().signal, idempotencyKey: 'key-1', attempt: 1, ...overrides };
}
