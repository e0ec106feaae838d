import type { FakeRequest, FakeResponse } from '../core/fake-server';
import { bearerToken } from '../core/recorded-request';
import { stripeErrorResponse } from './stripe-errors';

/**
 * Stripe's bearer authentication: `undefined` when the request may proceed, else the 401 Stripe answers
 * for no key at all, or for a key it does not know (shown masked, as Stripe shows it). Any non-empty
 * key is accepted when `apiKey` is not set.
 */
export function authenticateStripeRequest(
  request: FakeRequest,
  apiKey: string | undefined,
): FakeResponse | undefined {
  const token = bearerToken(request);
  if (token === undefined) {
    return stripeErrorResponse(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (apiKey === undefined || token === apiKey) return undefined;
  return stripeErrorResponse(401, {
    type: 'invalid_request_error',
    code: 'api_key_invalid',
    message: `Invalid API Key provided: ${maskKey(token)}`,
  });
}

/** `sk_test_****************wxyz`: the prefix and the last four characters, as Stripe echoes a key. */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test|live)_/.exec(key)?.[0] ?? '';
  if (key.length - prefix.length < 12) return `${prefix}${'*'.repeat(8)}`;
  return `${prefix}${'*'.repeat(key.length - prefix.length - 4)}${key.slice(-4)}`;
}
