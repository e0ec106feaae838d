import type { FakeResponse } from '../core/fake-server';
import { jsonResponse } from '../core/serve-with-fault';

/** Resend's error names with the status and message the API answers them with. */
export const RESEND_ERRORS: Readonly<Record<string, { readonly status: number; readonly message: string }>> =
  {
    missing_api_key: {
      status: 401,
      message:
        'Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY',
    },
    restricted_api_key: { status: 401, message: 'This API key is restricted to only send emails.' },
    invalid_api_key: { status: 403, message: 'API key is invalid.' },
    validation_error: { status: 422, message: 'The request body is invalid.' },
    missing_required_field: {
      status: 422,
      message: 'The request body is missing one or more required fields.',
    },
    invalid_idempotency_key: { status: 400, message: 'The key must be between 1-256 chars.' },
    invalid_idempotent_request: {
      status: 409,
      message:
        'Same idempotency key used with a different request payload. Change your idempotency key or payload.',
    },
    concurrent_idempotent_requests: {
      status: 409,
      message:
        'Same idempotency key used while original request is still in progress. Try the request again later.',
    },
    not_found: { status: 404, message: 'The requested endpoint does not exist.' },
    method_not_allowed: { status: 405, message: 'Method is not allowed for the requested path.' },
    invalid_attachment: { status: 422, message: 'Attachment must have either a `content` or `path`.' },
    invalid_from_address: { status: 422, message: 'Invalid `from` field.' },
    invalid_access: { status: 422, message: 'Access must be "full_access" or "sending_access".' },
    invalid_parameter: { status: 422, message: 'The parameter must be a valid UUID.' },
    invalid_region: { status: 422, message: 'Region must be one of us-east-1, eu-west-1, sa-east-1.' },
    daily_quota_exceeded: { status: 429, message: 'You have reached your daily email sending quota.' },
    monthly_quota_exceeded: { status: 429, message: 'You have reached your monthly email sending quota.' },
    rate_limit_exceeded: {
      status: 429,
      message:
        'Too many requests. You can only make 5 requests per second. See rate limit response headers for more information.',
    },
    security_error: { status: 451, message: 'We may have found a security issue with the request.' },
    application_error: { status: 500, message: 'An unexpected error occurred.' },
    internal_server_error: { status: 500, message: 'An unexpected error occurred.' },
  };

const NAME_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation_error',
  401: 'missing_api_key',
  403: 'invalid_api_key',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'invalid_idempotent_request',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  451: 'security_error',
};

/** The error name Resend answers a status with when no name is given. */
export function resendErrorNameFor(status: number): string {
  return NAME_BY_STATUS[status] ?? (status >= 500 ? 'application_error' : 'validation_error');
}

/** Resend's JSON error answer: `{ statusCode, message, name }`. */
export function resendError(
  name: string,
  options: { status?: number; message?: string; headers?: Readonly<Record<string, string>> } = {},
): FakeResponse {
  const known = RESEND_ERRORS[name];
  const status = options.status ?? known?.status ?? 500;
  const message = options.message ?? known?.message ?? 'An unexpected error occurred.';
  return jsonResponse(status, { statusCode: status, message, name }, options.headers);
}
