import type { SendGridErrorEntry } from './sendgrid-errors';

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const EMAIL = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;

/**
 * Checks a v3 `POST /v3/mail/send` body the way SendGrid does, as far as a fake can: `from`,
 * `personalizations` with recipients, `subject` and `content` (unless a template gives them),
 * `reply_to`, and attachments. Returns every problem found; none means valid.
 */
export function validateSendGridMail(body: unknown): SendGridErrorEntry[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ message: 'Bad Request', field: null, help: null }];
  }
  const mail = body as Record<string, unknown>;
  const errors: SendGridErrorEntry[] = [];
  const hasTemplate = typeof mail.template_id === 'string';
  if (!isAddress(mail.from)) {
    errors.push({
      message:
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
      field: 'from',
      help: `${HELP}#message.from`,
    });
  }
  if (mail.reply_to !== undefined && !isAddress(mail.reply_to)) {
    errors.push({
      message: 'The reply_to email does not contain a valid address.',
      field: 'reply_to.email',
      help: `${HELP}#message.reply_to`,
    });
  }
  const personalizations = mail.personalizations;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push({
      message: 'The personalizations field is required and must have at least one personalization.',
      field: 'personalizations',
      help: `${HELP}#-Personalizations-Errors`,
    });
  } else {
    personalizations.forEach((personalization: unknown, index) => {
      const to = (personalization as Record<string, unknown> | null)?.to;
      if (!Array.isArray(to) || to.length === 0 || !to.every(isAddress)) {
        errors.push({
          message:
            'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          field: `personalizations.${index}.to`,
          help: `${HELP}#message.personalizations.to`,
        });
      }
    });
  }
  const everyPersonalizationHasSubject =
    Array.isArray(personalizations) &&
    personalizations.every(
      (item: unknown) => typeof (item as Record<string, unknown> | null)?.subject === 'string',
    );
  if (
    !hasTemplate &&
    !everyPersonalizationHasSubject &&
    (typeof mail.subject !== 'string' || mail.subject === '')
  ) {
    errors.push({
      message:
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      field: 'subject',
      help: `${HELP}#message.subject`,
    });
  }
  const content = mail.content;
  const hasContent =
    Array.isArray(content) &&
    content.length > 0 &&
    content.every((block: unknown) => typeof (block as Record<string, unknown> | null)?.value === 'string');
  if (!hasTemplate && !hasContent) {
    errors.push({
      message:
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
      field: 'content',
      help: `${HELP}#message.content`,
    });
  }
  const attachments = mail.attachments;
  if (attachments !== undefined) {
    const valid =
      Array.isArray(attachments) &&
      attachments.every((item: unknown) => {
        const { content: data, filename } = (item ?? {}) as Record<string, unknown>;
        return typeof data === 'string' && data !== '' && typeof filename === 'string' && filename !== '';
      });
    if (!valid) {
      errors.push({
        message: 'The attachment content and filename are required.',
        field: 'attachments',
        help: `${HELP}#message.attachments`,
      });
    }
  }
  return errors;
}

function isAddress(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const email = (value as Record<string, unknown>).email;
  return typeof email === 'string' && EMAIL.test(email);
}
