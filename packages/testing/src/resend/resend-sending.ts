import { randomUUID } from 'node:crypto';
import type { FakeResponse } from '../core/fake-server';
import { jsonResponse } from '../core/serve-with-fault';
import { type ResendValidationFailure, validateResendEmail } from './resend-validation';

/** What Resend makes of a send request: accepted (with what to deliver) or rejected. */
export type ResendAcceptance =
  | {
      readonly type: 'accepted';
      readonly response: FakeResponse;
      readonly deliveries: readonly { readonly id: string; readonly email: Record<string, unknown> }[];
    }
  | ({ readonly type: 'rejected' } & ResendValidationFailure);

const MAX_BATCH = 100;

/** `POST /emails`: validates one email; answers `{ id }`. */
export function acceptResendEmail(body: unknown): ResendAcceptance {
  const failure = validateResendEmail(body);
  if (failure !== undefined) return { type: 'rejected', ...failure };
  const id = randomUUID();
  return {
    type: 'accepted',
    response: jsonResponse(200, { id }),
    deliveries: [{ id, email: body as Record<string, unknown> }],
  };
}

/**
 * `POST /emails/batch`: up to 100 emails, without attachments. In `strict` validation (the default)
 * one invalid email rejects the batch; in `permissive` the valid ones are sent and the others listed
 * in `errors` by index. Answers `{ data: [{ id }], errors? }`.
 */
export function acceptResendBatch(body: unknown, permissive: boolean): ResendAcceptance {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
    return {
      type: 'rejected',
      name: 'validation_error',
      message: `The request body must be an array of 1 to ${MAX_BATCH} emails.`,
    };
  }
  const errors: { index: number; message: string }[] = [];
  const deliveries: { id: string; email: Record<string, unknown> }[] = [];
  for (const [index, email] of body.entries()) {
    const failure = validateResendEmail(email, { inBatch: true });
    if (failure === undefined) {
      deliveries.push({ id: randomUUID(), email: email as Record<string, unknown> });
      continue;
    }
    if (!permissive)
      return { type: 'rejected', name: failure.name, message: `emails[${index}]: ${failure.message}` };
    errors.push({ index, message: failure.message });
  }
  const data = deliveries.map(({ id }) => ({ id }));
  return {
    type: 'accepted',
    response: jsonResponse(200, permissive ? { data, errors } : { data }),
    deliveries,
  };
}
