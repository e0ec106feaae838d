import { TokenVerificationError, TokenVerificationErrorReason } from '@clerk/backend/errors';

/**
 * The `kid` in a JWT's header. A token that is not three dot-separated parts with a JSON header naming
 * a `kid` is refused, before any key is looked up, with `@clerk/backend`'s `TokenVerificationError`
 * (reason `token-invalid`), as `verifyToken` refuses any other invalid token.
 */
export function readKid(token: string): string {
  const parts = typeof token === 'string' ? token.split('.') : [];
  let header: unknown;
  try {
    header =
      parts.length === 3 ? JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) : undefined;
  } catch {
    header = undefined;
  }
  const kid = typeof header === 'object' && header !== null ? (header as { kid?: unknown }).kid : undefined;
  if (typeof kid === 'string' && kid !== '') return kid;
  throw new TokenVerificationError({
    reason: TokenVerificationErrorReason.TokenInvalid,
    message: 'The session token is not a JWT with a kid in its header.',
  });
}
