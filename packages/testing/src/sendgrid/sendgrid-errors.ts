import type { FakeResponse } from '../core/fake-server';
import { jsonResponse } from '../core/serve-with-fault';

/** One entry of SendGrid's `errors` array. */
export interface SendGridErrorEntry {
  readonly message: string;
  readonly field?: string | null;
  readonly help?: string | null;
}

/** The messages SendGrid's v3 API answers these statuses with. */
export const SENDGRID_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'The provided authorization grant is invalid, expired, or revoked',
  403: 'access forbidden',
  404: 'not found',
  405: 'method not allowed',
  413: 'The JSON payload you have included in your request is too large.',
  429: 'too many requests',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** SendGrid's JSON error answer: `{ errors: [{ message, field, help }] }`. */
export function sendgridError(
  status: number,
  entries: readonly SendGridErrorEntry[] = [{ message: SENDGRID_ERROR_MESSAGES[status] ?? 'error' }],
  headers: Readonly<Record<string, string>> = {},
): FakeResponse {
  const errors = entries.map(({ message, field = null, help = null }) => ({ message, field, help }));
  return jsonResponse(status, { errors }, headers);
}
