import { type ErrorResponse, Resend, type Response as ResendResponse } from 'resend';

/** The calls whose transport this client makes itself: the two the provider sends through. */
const SEND_PATHS: ReadonlySet<string> = new Set(['/emails', '/emails/batch']);

/** The SDK's message for a failed `fetch`. */
const UNREACHABLE = 'Unable to fetch data. The request could not be resolved.';
/** The SDK's message for an error answer whose body is not JSON. */
const UNREADABLE_ERROR =
  'Internal server error. We are unable to process your request right now, please try again later.';

/**
 * A `Resend` client that says why a send could not be completed. The SDK turns every failed `fetch`
 * into the same `{ name: 'application_error', statusCode: null }`: a refused connection or a DNS
 * failure (the email never left) looks like a reset after the request was sent (it may have been
 * delivered), so a caller can neither fail over safely nor tell the two apart.
 *
 * For `POST /emails` and `POST /emails/batch` this client makes the HTTP call itself, with the
 * request the SDK built (URL, headers, idempotency key, body, signal), and answers as the SDK does,
 * adding the network error code (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`...) to that error as
 * `code`, and keeping the response headers whenever an answer arrived. Every other call is left to
 * the SDK. `createResendProvider` builds one when given `apiKey`.
 */
export class NetworkAwareResend extends Resend {
  override async fetchRequest<T>(path: string, options: {} = {}): Promise<ResendResponse<T>> {
    if (!SEND_PATHS.has(path)) return super.fetchRequest<T>(path, options);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, options as RequestInit);
    } catch (error) {
      return unreachable(error, null);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The answer broke off after its headers: the request reached the API.
      return unreachable(error, headers);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (!response.ok) {
        const error = { name: 'application_error', statusCode: response.status, message: UNREADABLE_ERROR };
        return { data: null, error: error as ErrorResponse, headers };
      }
      // A 2xx whose body is not JSON: the SDK reports it as a failed fetch, and so does this client.
      return unreachable(undefined, headers);
    }
    if (!response.ok) return { data: null, error: body as ErrorResponse, headers };
    return { data: body as T, error: null, headers };
  }
}

function unreachable<T>(cause: unknown, headers: Record<string, string> | null): ResendResponse<T> {
  const code = networkCodeOf(cause);
  const error = {
    name: 'application_error',
    statusCode: null,
    message: UNREACHABLE,
    ...(code ? { code } : {}),
  };
  return { data: null, error: error as ErrorResponse, headers };
}

/** The first string `code` on the error, its `cause` chain, or the errors of an `AggregateError`. */
function networkCodeOf(error: unknown): string | undefined {
  let level: unknown[] = [error];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const item of level) {
      if (typeof item !== 'object' || item === null) continue;
      const { code, cause, errors } = item as { code?: unknown; cause?: unknown; errors?: unknown };
      if (typeof code === 'string' && code !== '') return code;
      next.push(cause, ...(Array.isArray(errors) ? errors.slice(0, 5) : []));
    }
    level = next;
  }
  return undefined;
}
