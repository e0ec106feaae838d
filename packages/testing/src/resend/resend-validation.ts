/** A validation failure, named as Resend names it. */
export interface ResendValidationFailure {
  readonly name: 'validation_error' | 'missing_required_field' | 'invalid_attachment';
  readonly message: string;
}

const EMAIL = '[^\\s@<>",]+@[^\\s@<>",]+\\.[^\\s@<>",]+';
const ADDRESS = new RegExp(`^(?:${EMAIL}|[^<>]*<\\s*${EMAIL}\\s*>)$`);
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_RECIPIENTS = 50;

/**
 * Checks one email of `POST /emails` (or one item of `POST /emails/batch`) the way Resend does, as far
 * as a fake can: required fields, address formats, recipient count, tags and attachments.
 */
export function validateResendEmail(
  email: unknown,
  options: { inBatch?: boolean } = {},
): ResendValidationFailure | undefined {
  if (typeof email !== 'object' || email === null || Array.isArray(email)) {
    return { name: 'validation_error', message: 'The request body must be a JSON object.' };
  }
  const record = email as Record<string, unknown>;
  const hasTemplate = typeof record.template === 'object' && record.template !== null;
  for (const field of hasTemplate ? ['to'] : ['from', 'to', 'subject']) {
    if (record[field] === undefined || record[field] === null || record[field] === '') {
      return { name: 'missing_required_field', message: `Missing \`${field}\` field.` };
    }
  }
  if (!hasTemplate && typeof record.html !== 'string' && typeof record.text !== 'string') {
    return { name: 'missing_required_field', message: 'Missing `html` or `text` field.' };
  }
  for (const field of ['from', 'to', 'cc', 'bcc', 'reply_to']) {
    const value = record[field];
    if (value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    if (
      (field === 'from' && Array.isArray(value)) ||
      !list.every((item) => typeof item === 'string' && ADDRESS.test(item))
    ) {
      return {
        name: 'validation_error',
        message: `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
      };
    }
    if (list.length > MAX_RECIPIENTS) {
      return {
        name: 'validation_error',
        message: `Too many recipients in \`${field}\`: the maximum is ${MAX_RECIPIENTS}.`,
      };
    }
  }
  return validateExtras(record, options.inBatch === true);
}

function validateExtras(
  record: Record<string, unknown>,
  inBatch: boolean,
): ResendValidationFailure | undefined {
  const { tags, headers, attachments } = record;
  if (tags !== undefined) {
    const valid =
      Array.isArray(tags) &&
      tags.every((tag: unknown) => {
        const { name, value } = (tag ?? {}) as Record<string, unknown>;
        return (
          typeof name === 'string' && TAG_PART.test(name) && typeof value === 'string' && TAG_PART.test(value)
        );
      });
    if (!valid) {
      return {
        name: 'validation_error',
        message: 'Tags must be { name, value } pairs of ASCII letters, numbers, underscores or dashes.',
      };
    }
  }
  if (headers !== undefined) {
    const valid =
      typeof headers === 'object' &&
      headers !== null &&
      Object.values(headers).every((value) => typeof value === 'string');
    if (!valid)
      return { name: 'validation_error', message: 'The `headers` field must map names to strings.' };
  }
  if (attachments !== undefined) {
    if (inBatch)
      return { name: 'validation_error', message: 'Attachments are not supported in batch sending.' };
    const valid =
      Array.isArray(attachments) &&
      attachments.every((attachment: unknown) => {
        const { content, path } = (attachment ?? {}) as Record<string, unknown>;
        return typeof content === 'string' || typeof path === 'string';
      });
    if (!valid)
      return { name: 'invalid_attachment', message: 'Attachment must have either a `content` or `path`.' };
  }
  return undefined;
}
