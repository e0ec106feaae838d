import { generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes, sign } from 'node:crypto';

/** One RS256 signing key of the fake Clerk instance. */
interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A public key as the JWKS endpoint lists it. */
export interface FakeClerkJwk {
  readonly kid: string;
  readonly kty: 'RSA';
  readonly alg: 'RS256';
  readonly use: 'sig';
  readonly n: string;
  readonly e: string;
}

/**
 * The instance's signing keys: the current one signs session tokens; `rotate` makes a new current key
 * and keeps the previous one in the JWKS (as Clerk does during a rotation) unless told to drop it.
 */
export class ClerkSigningKeys {
  private keys: SigningKey[] = [newKey()];

  /** The current key's id. */
  get currentKid(): string {
    return this.current().kid;
  }

  /** The current public key as a PEM (SPKI), as Clerk's dashboard shows it for `jwtKey`. */
  get publicKeyPem(): string {
    return this.current().publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Makes a new current key; the old ones are dropped from the JWKS when `keepPrevious` is false. */
  rotate(keepPrevious = true): string {
    const key = newKey();
    this.keys = keepPrevious ? [key, ...this.keys] : [key];
    return key.kid;
  }

  /** The JWKS document: `{ keys: [...] }`, the current key first. */
  jwks(): { keys: FakeClerkJwk[] } {
    return {
      keys: this.keys.map((key) => {
        const jwk = key.publicKey.export({ format: 'jwk' }) as JsonWebKey;
        return { kid: key.kid, kty: 'RSA', alg: 'RS256', use: 'sig', n: String(jwk.n), e: String(jwk.e) };
      }),
    };
  }

  /** Signs a session token (RS256, `kid` in the header) with the current key. */
  sign(claims: Readonly<Record<string, unknown>>): string {
    const key = this.current();
    const header = encode({ alg: 'RS256', typ: 'JWT', kid: key.kid });
    const payload = encode(claims);
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key.privateKey);
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  private current(): SigningKey {
    const key = this.keys[0];
    if (key === undefined) throw new Error('the fake Clerk has no signing key');
    return key;
  }
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: `ins_${randomBytes(12).toString('hex')}`, privateKey, publicKey };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
