import type { EmailMessage, SendContext } from '@resilient/email';

/** A message using every field of the contract. */
export const fullMessage: EmailMessage = {
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
};

/** The smallest valid message. */
export const simpleMessage: EmailMessage = {
  from: 'hello@example.com',
  to: 'ada@example.com',
  subject: 'Hi',
  text: 'Hi',
};

/** A send context as the client would build it for one attempt. */
export function sendContext(overrides: Partial<SendContext> = {}): SendContext {
  return { signal: new AbortController().signal, idempotencyKey: 'key-1', attempt: 1, ...overrides };
}
