import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeClock } from '@resilient/core/testing';
import { MissingSecretError, SecretUnavailableError, secret } from '@resilient/secrets';
import { findSecret } from '@resilient/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsSecretsManagerError, awsSecretsManagerSource } from '../src';
import { type FakeSecretsManager, startFakeSecretsManager } from './aws-fake';

const CANARY = 'sk_live_CANARY_4f9a1c2e8b7d';
let fake: FakeSecretsManager;
let clock: FakeClock;

beforeEach(async () => {
  fake = await startFakeSecretsManager();
  clock = new FakeClock();
});
afterEach(async () => {
  await fake.server.close();
});

function client(): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: fake.server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-access-key' },
    maxAttempts: 1,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('awsSecretsManagerSource', () => {
  it('serves a secret string, read with the real SDK, by name and by ARN', async () => {
    fake.put('prod/stripe', CANARY);
    const byName = awsSecretsManagerSource({ secretId: 'prod/stripe', client: client(), clock });
    const key = await byName.get();
    expect(key.reveal()).toBe(CANARY);
    expect(String(key)).toBe('[secret prod/stripe]');
    expect(fake.requests[0]).toEqual({
      target: 'secretsmanager.GetSecretValue',
      body: { SecretId: 'prod/stripe', VersionStage: 'AWSCURRENT' },
    });
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/stripe-AbCdEf';
    const byArn = awsSecretsManagerSource({ secretId: arn, client: client(), clock, name: 'STRIPE' });
    expect((await byArn.get()).reveal()).toBe(CANARY);
  });

  it('builds its client from clientConfig', async () => {
    fake.put('prod/stripe', CANARY);
    const source = awsSecretsManagerSource({
      secretId: 'prod/stripe',
      clientConfig: {
        endpoint: fake.server.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      },
    });
    expect((await source.get()).reveal()).toBe(CANARY);
  });

  it('reads a JSON key inside the secret string', async () => {
    fake.put('prod/keys', JSON.stringify({ stripe: CANARY, resend: 're_other' }));
    const source = awsSecretsManagerSource({
      secretId: 'prod/keys',
      jsonKey: 'stripe',
      client: client(),
      clock,
    });
    const key = await source.get();
    expect(key.reveal()).toBe(CANARY);
    expect(key.name).toBe('prod/keys#stripe');
  });

  it('caches for ttlMs, shares one read, and refreshes in the background before expiry', async () => {
    fake.put('prod/stripe', 'sk_one');
    const source = awsSecretsManagerSource({
      secretId: 'prod/stripe',
      client: client(),
      clock,
      ttlMs: 10_000,
    });
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect(a.reveal()).toBe('sk_one');
    expect(b.reveal()).toBe('sk_one');
    expect(fake.requests).toHaveLength(1);
    await clock.advance(5_000);
    await source.get();
    expect(fake.requests).toHaveLength(1);
    fake.rotate('prod/stripe', 'sk_two');
    await clock.advance(3_500); // past 80% of the TTL: served from cache, read in the background
    expect((await source.get()).reveal()).toBe('sk_one');
    await vi.waitFor(() => expect(fake.requests).toHaveLength(2));
    await vi.waitFor(async () => expect((await source.get()).reveal()).toBe('sk_two'));
    expect(fake.requests).toHaveLength(2);
  });

  it('picks up a rotated key (new AWSCURRENT) when the old one is refused', async () => {
    fake.put('prod/stripe', 'sk_old');
    const source = awsSecretsManagerSource({ secretId: 'prod/stripe', client: client(), clock });
    const old = await source.get();
    fake.rotate('prod/stripe', 'sk_new');
    expect((await source.get()).reveal()).toBe('sk_old'); // cached until refused or expired
    const fresh = await source.refresh(old);
    expect(fresh.reveal()).toBe('sk_new');
    // Many calls refused with the old key at once: no further reads.
    await Promise.all([source.refresh(old), source.refresh(old)]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((request) => request.body.VersionStage === 'AWSCURRENT')).toBe(true);
  });

  it('reads another version stage when asked (AWSPREVIOUS, to pin a rollback)', async () => {
    fake.put('prod/stripe', 'sk_old');
    fake.rotate('prod/stripe', 'sk_new');
    const previous = awsSecretsManagerSource({
      secretId: 'prod/stripe',
      versionStage: 'AWSPREVIOUS',
      client: client(),
      clock,
    });
    expect((await previous.get()).reveal()).toBe('sk_old');
  });

  it('serves the last value while AWS is unreachable, up to maxStaleMs, then rejects with a typed error', async () => {
    fake.put('prod/stripe', CANARY);
    const onStale = vi.fn();
    const source = awsSecretsManagerSource({
      secretId: 'prod/stripe',
      client: client(),
      clock,
      ttlMs: 60_000,
      maxStaleMs: 600_000,
      onStale,
    });
    await source.get();
    fake.mode = 'down';
    await clock.advance(61_000);
    expect((await source.get()).reveal()).toBe(CANARY);
    expect(onStale).toHaveBeenCalledTimes(1);
    const stale = onStale.mock.calls[0]![0] as SecretUnavailableError;
    expect(SecretUnavailableError.isInstance(stale)).toBe(true);
    expect((stale.cause as AwsSecretsManagerError).reason).toBe('unreachable');
    await clock.advance(600_000);
    const error = await failure(source.get());
    expect(SecretUnavailableError.isInstance(error)).toBe(true);
    expect((error as SecretUnavailableError).secretName).toBe('prod/stripe');
    expect((error as SecretUnavailableError).message).toContain('prod/stripe');
    expect(AwsSecretsManagerError.isInstance((error as Error).cause)).toBe(true);
    expect(findSecret(error, CANARY)).toEqual([]);
    expect(findSecret(stale, CANARY)).toEqual([]);
  });

  it('names a missing secret with a MissingSecretError', async () => {
    const source = awsSecretsManagerSource({ secretId: 'prod/nope', client: client(), clock });
    const error = await failure(source.get());
    expect(MissingSecretError.isInstance(error)).toBe(true);
    expect((error as MissingSecretError).missing).toEqual([
      { name: 'prod/nope', where: 'AWS Secrets Manager', reason: 'not found' },
    ]);
  });

  it('rejects access denied with a typed error naming the secret', async () => {
    fake.put('prod/stripe', CANARY);
    fake.mode = { type: 'AccessDeniedException', status: 400 };
    const source = awsSecretsManagerSource({ secretId: 'prod/stripe', client: client(), clock });
    const error = (await failure(source.get())) as SecretUnavailableError;
    expect(SecretUnavailableError.isInstance(error)).toBe(true);
    const cause = error.cause as AwsSecretsManagerError;
    expect(cause.reason).toBe('access-denied');
    expect(cause.awsCode).toBe('AccessDeniedException');
    expect(cause.status).toBe(400);
    expect(cause.requestId).toBe('req-1');
    expect(error.message).toContain('prod/stripe');
    expect(findSecret(error, CANARY)).toEqual([]);
  });

  it.each([
    ['DecryptionFailure', 'decryption-failed'],
    ['InvalidRequestException', 'invalid-request'],
    ['ThrottlingException', 'throttled'],
    ['InternalServiceError', 'unreachable'],
  ])('maps %s to %s', async (type, reason) => {
    fake.mode = { type, status: type === 'InternalServiceError' ? 500 : 400 };
    const source = awsSecretsManagerSource({ secretId: 'prod/stripe', client: client(), clock });
    const error = (await failure(source.get())) as SecretUnavailableError;
    expect((error.cause as AwsSecretsManagerError).reason).toBe(reason);
  });

  it.each([
    ['not JSON', `{"stripe": "${CANARY}`, 'malformed'],
    ['not an object', JSON.stringify([CANARY]), 'malformed'],
    ['not a string', JSON.stringify({ stripe: 42, other: CANARY }), 'malformed'],
    ['without the key', JSON.stringify({ other: CANARY }), 'missing'],
  ])('rejects a secret string %s, never showing it', async (_label, value, kind) => {
    fake.put('prod/keys', value);
    const source = awsSecretsManagerSource({
      secretId: 'prod/keys',
      jsonKey: 'stripe',
      client: client(),
      clock,
    });
    const error = await failure(source.get());
    if (kind === 'missing') {
      expect(MissingSecretError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('no key "stripe"');
    } else {
      expect(((error as Error).cause as AwsSecretsManagerError).reason).toBe('malformed');
    }
    expect((error as Error).message).toContain('prod/keys#stripe');
    expect(findSecret(error, CANARY)).toEqual([]);
  });

  it('returns the newer value without reading when the refused key is already replaced', async () => {
    fake.put('prod/stripe', 'sk_current');
    const source = awsSecretsManagerSource({ secretId: 'prod/stripe', client: client(), clock });
    await source.get();
    const value = await source.refresh(secret('sk_long_gone', { name: 'prod/stripe' }));
    expect(value.reveal()).toBe('sk_current');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects bad options at once', () => {
    expect(() => awsSecretsManagerSource({ secretId: '' })).toThrow(TypeError);
    expect(() => awsSecretsManagerSource({ secretId: 'a', typo: 1 } as never)).toThrow(
      /unknown option "typo"/,
    );
    expect(() => awsSecretsManagerSource({ secretId: 'a', client: client(), clientConfig: {} })).toThrow(
      /not both/,
    );
  });
});
