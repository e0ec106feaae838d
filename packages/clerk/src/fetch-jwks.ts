import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { classifyError, ResilientError, type ResilientPipeline } from '@resilient/core';

/** Where the keys come from. */
export interface JwksSource {
  readonly url: string;
  /** The Backend API secret key, sent as a Bearer token; `undefined` for a public JWKS URL. */
  readonly secretKey: string | undefined;
}

/**
 * Fetches a JWKS through `pipeline` (a GET, so repeatable) and gives back the RSA signing keys as PEMs
 * (SPKI) by `kid`. An answer that is not a 2xx is classified by its status (`Retry-After` kept); a body
 * without RSA keys is a `server` error. The secret key is only ever in the request's header.
 */
export async function fetchJwks(
  pipeline: ResilientPipeline,
  source: JwksSource,
  service: string,
): Promise<Map<string, string>> {
  return pipeline.execute(
    async (context) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (source.secretKey !== undefined) headers.authorization = `Bearer ${source.secretKey}`;
      let response: Response;
      try {
        response = await fetch(source.url, { headers, signal: context.signal });
      } catch (error) {
        throw classifyError(error, { service });
      }
      const text = await response.text();
      if (!response.ok) {
        const failure = Object.assign(new Error(`JWKS fetch answered HTTP ${response.status}`), {
          status: response.status,
          headers: response.headers,
        });
        throw classifyError(failure, { service });
      }
      return parseJwks(text, service);
    },
    { operation: 'jwks.fetch', idempotent: true },
  );
}

function parseJwks(text: string, service: string): Map<string, string> {
  const keys = new Map<string, string>();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const list = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  for (const key of Array.isArray(list) ? list : []) {
    const jwk = key as JsonWebKey & { kid?: unknown };
    if (
      jwk.kty !== 'RSA' ||
      typeof jwk.kid !== 'string' ||
      typeof jwk.n !== 'string' ||
      typeof jwk.e !== 'string'
    )
      continue;
    try {
      const pem = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      keys.set(jwk.kid, pem);
    } catch {
      // A key node:crypto cannot read is left out.
    }
  }
  if (keys.size === 0)
    throw new ResilientError({
      kind: 'server',
      outcome: 'failed',
      retryable: true,
      service,
      message: `${service}: the JWKS answer holds no RSA signing key`,
    });
  return keys;
}
