import type { EmailMessage } from '../email-provider';
import { EmailValidationError } from '../errors/email-validation-error';
import { addressProblem } from './validate-email-address';

const FIELDS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'replyTo',
  'subject',
  'html',
  'text',
  'headers',
  'tags',
  'attachments',
]);
const LINE_BREAK = /[\r\n\0]/;
/** An email header name: printable ASCII without a colon or a space (RFC 5322). */
const HEADER_NAME = /^[!-9;-~]+$/;

/**
 * Checks a message before any provider sees it, and throws an {@link EmailValidationError} naming the
 * first field to fix: `from` (one address), `to` (one or more), `cc`, `bcc`, `replyTo`, a non-empty
 * `subject` on one line, `html` or `text` (at least one, non-empty), `headers` and `tags` (string
 * values, no line breaks in headers) and `attachments` (`filename` and `content`). Unknown fields are
 * refused, so a misspelt `attachment` never sends a message without its file.
 *
 * @param path How the message is named in errors: `message`, or `messages[2]` in a batch.
 */
export function validateEmailMessage(message: unknown, path = 'message'): asserts message is EmailMessage {
  const fail: Fail = (field, problem) => {
    throw new EmailValidationError({ field: field === '' ? path : `${path}.${field}`, problem });
  };
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    fail('', 'must be an object with from, to, subject and html or text');
  const record = message as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) fail(key, `is not a message field; accepted fields are ${[...FIELDS].join(', ')}`);
  }
  checkAddress(record.from, 'from', fail);
  checkAddressList(record.to, 'to', true, fail);
  for (const field of ['cc', 'bcc', 'replyTo'] as const) {
    if (record[field] !== undefined) checkAddressList(record[field], field, false, fail);
  }
  if (typeof record.subject !== 'string' || record.subject.trim() === '')
    fail('subject', 'must be a non-empty string');
  if (LINE_BREAK.test(record.subject as string)) fail('subject', 'must not contain line breaks');
  for (const field of ['html', 'text'] as const) {
    if (record[field] !== undefined && typeof record[field] !== 'string') fail(field, 'must be a string');
  }
  if (!hasText(record.html) && !hasText(record.text)) fail('html', 'or text is required (non-empty)');
  checkStringRecord(record.headers, 'headers', true, fail);
  checkStringRecord(record.tags, 'tags', false, fail);
  checkAttachments(record.attachments, fail);
}

type Fail = (field: string, problem: string) => never;

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function checkAddress(value: unknown, field: string, fail: Fail): void {
  if (Array.isArray(value)) fail(field, 'must be one address, not a list');
  const problem = addressProblem(value);
  if (problem !== undefined) fail(field, problem);
}

function checkAddressList(value: unknown, field: string, required: boolean, fail: Fail): void {
  if (!Array.isArray(value)) {
    checkAddress(value, field, fail);
    return;
  }
  if (required && value.length === 0) fail(field, 'must list at least one address');
  value.forEach((item, index) => {
    const problem = addressProblem(item);
    if (problem !== undefined) fail(`${field}[${index}]`, problem);
  });
}

function checkStringRecord(value: unknown, field: string, isHeaders: boolean, fail: Fail): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(field, 'must be an object of string values');
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') fail(`${field}.${key}`, 'must be a string');
    if (isHeaders && !HEADER_NAME.test(key))
      fail(field, 'has a header name with a space, a colon or a character outside printable ASCII');
    if (isHeaders && LINE_BREAK.test(item as string)) fail(`${field}.${key}`, 'must not contain line breaks');
  }
}

function checkAttachments(value: unknown, fail: Fail): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail('attachments', 'must be an array');
  (value as unknown[]).forEach((item, index) => {
    const field = `attachments[${index}]`;
    if (typeof item !== 'object' || item === null) fail(field, 'must be an object with filename and content');
    const attachment = item as Record<string, unknown>;
    if (typeof attachment.filename !== 'string' || attachment.filename.trim() === '')
      fail(`${field}.filename`, 'must be a non-empty string');
    if (LINE_BREAK.test(attachment.filename as string))
      fail(`${field}.filename`, 'must not contain line breaks');
    if (typeof attachment.content !== 'string' && !(attachment.content instanceof Uint8Array))
      fail(`${field}.content`, 'must be a Uint8Array or a base64 string');
    if (attachment.contentType !== undefined && typeof attachment.contentType !== 'string')
      fail(`${field}.contentType`, 'must be a string');
  });
}
