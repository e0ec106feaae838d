import { EmailValidationError, validateEmailMessage } from '@resilient/email';
import { describe, expect, it } from 'vitest';
import { MESSAGE } from './support/email-test-kit';

const problemOf = (message: unknown): { field: string; message: string } | undefined => {
  try {
    validateEmailMessage(message);
    return undefined;
  } catch (error) {
    if (!EmailValidationError.isInstance(error)) throw error;
    return { field: error.field, message: error.message };
  }
};

describe('validateEmailMessage', () => {
  it.each([
    ['a bare address', { ...MESSAGE, to: 'ada@example.com' }],
    ['a display name', { ...MESSAGE, to: 'Ada Lovelace <ada@example.com>' }],
    [
      'address objects',
      { ...MESSAGE, from: { email: 'hello@acme.example', name: 'Acme' }, to: [{ email: 'ada@example.com' }] },
    ],
    ['cc, bcc and reply-to lists', { ...MESSAGE, cc: ['b@example.com'], bcc: [], replyTo: 'c@example.com' }],
    ['html only', { from: MESSAGE.from, to: MESSAGE.to, subject: 'Hi', html: '<p>Hi</p>' }],
    [
      'headers, tags and attachments',
      {
        ...MESSAGE,
        headers: { 'X-Entity-Ref-ID': '42' },
        tags: { category: 'welcome' },
        attachments: [
          { filename: 'a.txt', content: new Uint8Array([104, 105]) },
          { filename: 'b.txt', content: 'aGk=', contentType: 'text/plain' },
        ],
      },
    ],
  ])('accepts %s', (_case, message) => {
    expect(problemOf(message)).toBeUndefined();
  });

  it.each([
    ['not an object', 'hello', 'message'],
    ['no from', { ...MESSAGE, from: undefined }, 'message.from'],
    ['from as a list', { ...MESSAGE, from: ['a@example.com'] }, 'message.from'],
    ['a to without @', { ...MESSAGE, to: 'ada.example.com' }, 'message.to'],
    ['an empty to list', { ...MESSAGE, to: [] }, 'message.to'],
    ['a bad second recipient', { ...MESSAGE, to: ['ada@example.com', 'nobody'] }, 'message.to[1]'],
    [
      'a line break in a display name',
      { ...MESSAGE, to: 'Ada\r\nBcc: x@evil.example <ada@example.com>' },
      'message.to',
    ],
    [
      'a name with angle brackets',
      { ...MESSAGE, to: { email: 'ada@example.com', name: 'A <b>' } },
      'message.to',
    ],
    ['an unknown field in an address', { ...MESSAGE, to: { address: 'ada@example.com' } }, 'message.to'],
    ['a bad cc', { ...MESSAGE, cc: 'x' }, 'message.cc'],
    ['an empty subject', { ...MESSAGE, subject: '  ' }, 'message.subject'],
    ['a subject with a line break', { ...MESSAGE, subject: 'Hi\nBcc: x@evil.example' }, 'message.subject'],
    ['no body', { from: MESSAGE.from, to: MESSAGE.to, subject: 'Hi', text: '' }, 'message.html'],
    ['a non-string html', { ...MESSAGE, html: 42 }, 'message.html'],
    [
      'a header value with a line break',
      { ...MESSAGE, headers: { 'X-A': 'a\r\nB: c' } },
      'message.headers.X-A',
    ],
    ['a header name with a colon', { ...MESSAGE, headers: { 'X:A': 'a' } }, 'message.headers'],
    ['a non-string tag', { ...MESSAGE, tags: { n: 1 } }, 'message.tags.n'],
    [
      'an attachment without content',
      { ...MESSAGE, attachments: [{ filename: 'a.txt' }] },
      'message.attachments[0].content',
    ],
    [
      'an attachment without a name',
      { ...MESSAGE, attachments: [{ filename: '', content: 'aGk=' }] },
      'message.attachments[0].filename',
    ],
    ['a misspelt field', { ...MESSAGE, attachment: [] }, 'message.attachment'],
  ])('refuses %s, naming %s', (_case, message, field) => {
    expect(problemOf(message)?.field).toBe(field);
  });

  it('never repeats the refused value in its message', () => {
    const problem = problemOf({ ...MESSAGE, to: 'secret-person.example.com' });
    expect(problem?.message).toMatch(/^email: message\.to must be an address such as/);
    expect(problem?.message).not.toContain('secret-person');
  });

  it('is a ResilientError of kind invalid-request that was not sent', () => {
    const error = (() => {
      try {
        validateEmailMessage({});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({
      name: 'EmailValidationError',
      kind: 'invalid-request',
      outcome: 'not-sent',
      retryable: false,
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      field: 'message.from',
      kind: 'invalid-request',
    });
  });
});
