import type { FakeResponse } from '../core/fake-server';
import type { StatusFault } from '../core/fault';

/** One error in a Clerk error body, as the Backend API sends it. */
export interface ClerkErrorInfo {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly longMessage: string;
}

/** The errors the fake Clerk answers with, by code, with Clerk's status, message and long message. */
export const CLERK_ERRORS: Readonly<Record<string, ClerkErrorInfo>> = {
  authentication_invalid: {
    status: 401,
    code: 'authentication_invalid',
    message: 'Invalid authentication',
    longMessage: 'The provided secret key is invalid.',
  },
  authorization_invalid: {
    status: 403,
    code: 'authorization_invalid',
    message: 'Unauthorized request',
    longMessage: 'You are not authorized to perform this request.',
  },
  resource_not_found: {
    status: 404,
    code: 'resource_not_found',
    message: 'not found',
    longMessage: 'Resource not found',
  },
  form_identifier_exists: {
    status: 422,
    code: 'form_identifier_exists',
    message: 'That email address is taken. Please try another.',
    longMessage: 'That email address is taken. Please try another.',
  },
  form_param_missing: {
    status: 422,
    code: 'form_param_missing',
    message: 'missing parameter',
    longMessage: 'A required parameter is missing.',
  },
  too_many_requests: {
    status: 429,
    code: 'too_many_requests',
    message: 'Too many requests',
    longMessage: 'Too many requests, please retry later.',
  },
  internal_clerk_error: {
    status: 500,
    code: 'internal_clerk_error',
    message: 'Oops, an unexpected error occurred',
    longMessage: "There was an internal error on Clerk's servers.",
  },
  service_unavailable: {
    status: 503,
    code: 'service_unavailable',
    message: 'Service unavailable',
    longMessage: 'The service is temporarily unavailable.',
  },
};

const DEFAULT_CODE_BY_STATUS: Readonly<Record<number, string>> = {
  401: 'authentication_invalid',
  403: 'authorization_invalid',
  404: 'resource_not_found',
  422: 'form_param_missing',
  429: 'too_many_requests',
  500: 'internal_clerk_error',
  503: 'service_unavailable',
};

/**
 * A Clerk error answer: `{ errors: [{ code, message, long_message, meta }], clerk_trace_id }` with
 * `content-type: application/json` exactly (the SDK parses the body as JSON only then).
 */
export function clerkErrorResponse(
  status: number,
  error: { code: string; message: string; longMessage?: string; paramName?: string },
  headers: Readonly<Record<string, string>> = {},
): FakeResponse {
  const meta = error.paramName === undefined ? {} : { param_name: error.paramName };
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      errors: [
        { code: error.code, message: error.message, long_message: error.longMessage ?? error.message, meta },
      ],
      clerk_trace_id: traceId(),
    }),
  };
}

/** The answer for one of {@link CLERK_ERRORS}. */
export function clerkError(code: string, headers: Readonly<Record<string, string>> = {}): FakeResponse {
  const info = CLERK_ERRORS[code] ?? CLERK_ERRORS.internal_clerk_error;
  if (info === undefined) throw new Error(`unknown Clerk error ${code}`);
  return clerkErrorResponse(info.status, info, headers);
}

/** Renders a status fault: Clerk's error body for the status or code, `Retry-After` on a 429. */
export function renderClerkStatusFault(fault: StatusFault): FakeResponse {
  const status = fault.status ?? CLERK_ERRORS[fault.code ?? '']?.status ?? 500;
  const headers: Record<string, string> = { ...fault.headers };
  if (status === 429) headers['retry-after'] ??= String(fault.retryAfterSeconds ?? 1);
  if (fault.body !== undefined)
    return { status, headers: { 'content-type': 'text/html', ...headers }, body: fault.body };
  const code = fault.code ?? DEFAULT_CODE_BY_STATUS[status] ?? 'internal_clerk_error';
  const info = CLERK_ERRORS[code];
  return clerkErrorResponse(
    status,
    { code, message: fault.message ?? info?.message ?? code, longMessage: info?.longMessage },
    headers,
  );
}

function traceId(): string {
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}
