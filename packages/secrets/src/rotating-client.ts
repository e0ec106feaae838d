import { AuthError, ResilientError, redactText } from '@resilient/core';
import { MissingSecretError } from './missing-secret-error';
import type { Secret } from './secret';
import type { SecretSource } from './secret-source';

/** Options of {@link rotatingClient}. */
export interface RotatingClientOptions<Client> {
  /** The service named on errors, such as `resend`. */
  readonly service: string;
  /** Builds a provider SDK client for one key. Called once per key value, not per call. */
  readonly build: (secret: Secret) => Client;
  /** Whether an error means the key was refused. Default: an `auth` error (invalid, expired or revoked key). */
  readonly isKeyRefused?: (error: unknown) => boolean;
}

/** Runs calls with a client for the current key, and with a fresh key once when the provider refuses it. */
export interface RotatingClient<Client> {
  /**
   * Calls `call` with a client for the source's current key. When it fails because the key was
   * refused, the key is read again at its source (`refresh`); if the source has a different key (it
   * was rotated), `call` runs once more with it and its result or error is the answer. Otherwise, and
   * when the fresh key is refused too, the refusal is the answer: never a loop.
   * A key that cannot be read rejects with an `AuthError` (`MissingSecretError`) or a `ResilientError`
   * of kind `unknown` (the source failed), outcome `not-sent`, naming the secret, never its value.
   */
  run<T>(call: (client: Client) => Promise<T>): Promise<T>;
}

/**
 * The key handling an adapter needs for rotation: one SDK client per key value, rebuilt when the
 * key changes, and one retry with a fresh key when the provider refuses the old one. The retried
 * request is safe to send again: the refused one was not applied.
 *
 * @example
 * const clients = rotatingClient(toSecretSource(options.apiKey, 'RESEND_API_KEY'), {
 *   service: 'resend',
 *   build: (key) => new Resend(key.reveal()),
 * });
 * await clients.run((client) => send(client, message));
 */
export function rotatingClient<Client>(
  source: SecretSource,
  options: RotatingClientOptions<Client>,
): RotatingClient<Client> {
  const { service, build } = options;
  const isKeyRefused =
    options.isKeyRefused ?? ((error) => AuthError.isInstance(error) && error.kind === 'auth');
  let cached: { readonly secret: Secret; readonly client: Client } | undefined;

  const clientFor = (secret: Secret): Client => {
    if (cached === undefined || !cached.secret.equals(secret)) cached = { secret, client: build(secret) };
    return cached.client;
  };

  return {
    async run<T>(call: (client: Client) => Promise<T>): Promise<T> {
      const first = await read(() => source.get(), service);
      try {
        return await call(clientFor(first));
      } catch (error) {
        if (!isKeyRefused(error)) throw error;
        let fresh: Secret;
        try {
          fresh = await source.refresh(first);
        } catch {
          // The source cannot say more: the refusal is the answer.
          throw error;
        }
        if (fresh.equals(first)) throw error;
        return call(clientFor(fresh));
      }
    },
  };
}

/** Reads the key, turning a source's failure into the taxonomy's errors. */
async function read(get: () => Promise<Secret>, service: string): Promise<Secret> {
  try {
    return await get();
  } catch (error) {
    const reason = error instanceof Error ? redactText(error.message) : 'the source failed';
    const message = `${service}: the API key could not be read: ${reason}`;
    if (MissingSecretError.isInstance(error)) {
      throw new AuthError({ kind: 'auth', outcome: 'not-sent', service, message, cause: error });
    }
    throw new ResilientError({ kind: 'unknown', outcome: 'not-sent', service, message, cause: error });
  }
}
