import { AuthError, ResilientError } from '@resilient/core';
import { describe, expect, it } from 'vitest';
import { cachedSource } from '../src/cached-source';
import { envSecret } from '../src/env-secret';
import { rotatingClient } from '../src/rotating-client';
import type { Secret } from '../src/secret';
import { toSecretSource } from '../src/secret-source';

/** A provider double that accepts one key: a call with another is refused with an `auth` error. */
function provider(accepted: { key: string }) {
  const calls: string[] = [];
  const send = async (client: { key: string }) => {
    calls.push(client.key);
    if (client.key !== accepted.key) throw new AuthError({ service: 'resend', status: 401 });
    return 'sent';
  };
  return { calls, send };
}

function manager(initial: string) {
  const state = { value: initial, loads: 0 };
  const source = cachedSource(
    async () => {
      state.loads++;
      return state.value;
    },
    { name: 'resend-key', minRefreshIntervalMs: 0 },
  );
  return { state, source };
}

const build = (secret: Secret) => ({ key: secret.reveal() });

describe('rotatingClient', () => {
  it('retries once with the rotated key when the provider refuses the old one', async () => {
    const accepted = { key: 'key-one' };
    const { calls, send } = provider(accepted);
    const { state, source } = manager('key-one');
    const clients = rotatingClient(source, { service: 'resend', build });
    expect(await clients.run(send)).toBe('sent');
    accepted.key = 'key-two';
    state.value = 'key-two';
    expect(await clients.run(send)).toBe('sent');
    expect(calls).toEqual(['key-one', 'key-one', 'key-two']);
    expect(await clients.run(send)).toBe('sent');
    expect(calls.at(-1)).toBe('key-two');
  });

  it('stops with the refusal when the source still has the refused key', async () => {
    const { calls, send } = provider({ key: 'other' });
    const { state, source } = manager('revoked');
    const error = await rotatingClient(source, { service: 'resend', build })
      .run(send)
      .catch((caught) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(calls).toEqual(['revoked']);
    expect(state.loads).toBe(2);
  });

  it('stops with the second refusal when the fresh key is refused too, with no loop', async () => {
    const { calls, send } = provider({ key: 'never' });
    const { state, source } = manager('old');
    const clients = rotatingClient(source, { service: 'resend', build });
    const pending = clients.run(async (client) => {
      state.value = 'also-revoked';
      return send(client);
    });
    await expect(pending).rejects.toMatchObject({ kind: 'auth' });
    expect(calls).toEqual(['old', 'also-revoked']);
  });

  it('does not retry errors other than a refused key, nor a fixed key', async () => {
    const { source } = manager('key');
    let runs = 0;
    const failing = () => {
      runs++;
      return Promise.reject(new ResilientError({ kind: 'server', service: 'resend' }));
    };
    await expect(rotatingClient(source, { service: 'resend', build }).run(failing)).rejects.toMatchObject({
      kind: 'server',
    });
    const { send, calls } = provider({ key: 'other' });
    const fixed = rotatingClient(toSecretSource('plain', 'RESEND_API_KEY'), { service: 'resend', build });
    await expect(fixed.run(send)).rejects.toMatchObject({ kind: 'auth' });
    expect([runs, calls.length]).toEqual([1, 1]);
  });

  it('builds one client per key value, not per call', async () => {
    const { source } = manager('key');
    let built = 0;
    const clients = rotatingClient(source, {
      service: 'resend',
      build: (secret) => {
        built++;
        return build(secret);
      },
    });
    for (let call = 0; call < 5; call++) await clients.run(async () => 'ok');
    expect(built).toBe(1);
  });

  it('turns a missing key into an AuthError naming the variable, not sent', async () => {
    const clients = rotatingClient(envSecret('RESEND_API_KEY', { env: {}, envFile: false }), {
      service: 'resend',
      build,
    });
    const error = await clients.run(async () => 'unreachable').catch((caught) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', outcome: 'not-sent', service: 'resend' });
    expect(error.message).toBe(
      'resend: the API key could not be read: A required secret is missing: RESEND_API_KEY (environment variable, not set)',
    );
  });

  it('turns a failed source into an unknown error that was not sent', async () => {
    const source = cachedSource(
      async () => {
        throw new Error('vault sealed');
      },
      { name: 'vault/resend' },
    );
    const error = await rotatingClient(source, { service: 'resend', build })
      .run(async () => 'unreachable')
      .catch((caught) => caught);
    expect(error).toMatchObject({ kind: 'unknown', outcome: 'not-sent' });
    expect(error.message).toContain('vault/resend could not be read: vault sealed');
  });
});

describe('toSecretSource', () => {
  it('takes a string, a Secret or a source, and refuses anything else naming the option', async () => {
    const fromString = toSecretSource('re_value', 'RESEND_API_KEY');
    expect(String(await fromString.get())).toBe('[secret RESEND_API_KEY]');
    expect(toSecretSource(await fromString.get(), 'X').name).toBe('RESEND_API_KEY');
    const source = envSecret('A', { env: { A: 'v' } });
    expect(toSecretSource(source, 'X')).toBe(source);
    expect(() => toSecretSource('', 'X')).toThrow(
      /apiKey must be a non-empty string, a Secret or a SecretSource/,
    );
    expect(() => toSecretSource(42 as never, 'X', 'createResendProvider: apiKey')).toThrow(
      /createResendProvider: apiKey must be .* got number/,
    );
  });
});
