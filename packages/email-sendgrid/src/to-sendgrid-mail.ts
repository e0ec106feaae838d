import { ResilientError } from '@resilient/core';
import type { EmailMessage } from '@resilient/email';
import type { MailDataRequired } from '@sendgrid/mail';
import { toBase64 } from './to-base64';
import { toSendGridAddress, toSendGridAddresses } from './to-sendgrid-address';

/**
 * Email headers SendGrid sets itself and refuses, plus the HTTP headers of the API call: the SDK sends
 * a message's email headers as the HTTP request's headers too, so an email header named
 * `Authorization` would replace the API key.
 */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'host',
  'content-type',
  'content-length',
  'content-transfer-encoding',
  'transfer-encoding',
  'connection',
  'accept',
  'user-agent',
  'on-behalf-of',
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);

/**
 * A provider-neutral message as `@sendgrid/mail` takes it: one personalization with `to`, `cc` and
 * `bcc`; `replyTo` for one reply address or `replyToList` for several; email `headers`; `tags` as
 * `customArgs` (they come back in event webhooks); attachments as base64 with `type` and
 * `disposition: 'attachment'`. A header SendGrid reserves, or that would clash with the API call's own
 * headers, is refused with an `invalid-request` error (`outcome: 'not-sent'`).
 */
export function toSendGridMail(message: EmailMessage): MailDataRequired {
  const mail: Record<string, unknown> = {
    from: toSendGridAddress(message.from),
    to: toSendGridAddresses(message.to),
    subject: message.subject,
  };
  if (message.cc !== undefined) mail.cc = toSendGridAddresses(message.cc);
  if (message.bcc !== undefined) mail.bcc = toSendGridAddresses(message.bcc);
  if (message.replyTo !== undefined) {
    const replyTo = toSendGridAddresses(message.replyTo);
    if (replyTo.length === 1) mail.replyTo = replyTo[0];
    else if (replyTo.length > 1) mail.replyToList = replyTo;
  }
  if (message.text !== undefined) mail.text = message.text;
  if (message.html !== undefined) mail.html = message.html;
  if (message.headers !== undefined) {
    const reserved = Object.keys(message.headers).find((name) => RESERVED_HEADERS.has(name.toLowerCase()));
    if (reserved !== undefined) {
      throw new ResilientError({
        kind: 'invalid-request',
        outcome: 'not-sent',
        service: 'sendgrid',
        message: `sendgrid: the email header "${reserved}" cannot be set through SendGrid (it is reserved, or would be sent as an HTTP header of the API call)`,
      });
    }
    mail.headers = { ...message.headers };
  }
  if (message.tags !== undefined) mail.customArgs = { ...message.tags };
  if (message.attachments !== undefined) {
    mail.attachments = message.attachments.map((attachment) => ({
      filename: attachment.filename,
      content: toBase64(attachment.content),
      disposition: 'attachment',
      ...(attachment.contentType === undefined ? {} : { type: attachment.contentType }),
    }));
  }
  // At least one of html and text is present (the message contract requires it), so this is a valid
  // MailDataRequired; the record is only built field by field to leave absent fields out.
  return mail as unknown as MailDataRequired;
}
