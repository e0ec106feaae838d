import type { EmailMessage } from '@resilient/email';
import type { CreateEmailOptions } from 'resend';
import { formatAddress, formatAddresses } from './format-address';
import { toBase64 } from './to-base64';

/**
 * A provider-neutral message as the Resend SDK takes it: addresses as strings, `replyTo`, email
 * `headers`, `tags` as `[{ name, value }]`, attachments with base64 content and `contentType`.
 * Fields the message leaves out are left out.
 */
export function toResendEmail(message: EmailMessage): CreateEmailOptions {
  const email: Record<string, unknown> = {
    from: formatAddress(message.from),
    to: formatAddresses(message.to),
    subject: message.subject,
  };
  if (message.cc !== undefined) email.cc = formatAddresses(message.cc);
  if (message.bcc !== undefined) email.bcc = formatAddresses(message.bcc);
  if (message.replyTo !== undefined) email.replyTo = formatAddresses(message.replyTo);
  if (message.html !== undefined) email.html = message.html;
  if (message.text !== undefined) email.text = message.text;
  if (message.headers !== undefined) email.headers = { ...message.headers };
  if (message.tags !== undefined) {
    email.tags = Object.entries(message.tags).map(([name, value]) => ({ name, value }));
  }
  if (message.attachments !== undefined) {
    email.attachments = message.attachments.map((attachment) => ({
      filename: attachment.filename,
      content: toBase64(attachment.content),
      ...(attachment.contentType === undefined ? {} : { contentType: attachment.contentType }),
    }));
  }
  // At least one of html and text is present (the message contract requires it), so this is a valid
  // CreateEmailOptions; the record is only built field by field to leave absent fields out.
  return email as unknown as CreateEmailOptions;
}
