import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmailClientFromEnv, type EmailProvider, selectProvidersFromEnv } from '@resilient/email';
import { type FakeResend, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resendProviderFactory } from '../src/resend-provider-factory';
import { sendContext, simpleMessage } from './support';

/** The key the fake accepts right now: rotating it here is rotating it at Resend. */
const accepted = { key: 're_env_key_one_0000000001' };
let fake: FakeResend;
let directory: string;
beforeAll(async () => {
  fake = await startFakeResend({
    get apiKey() {
      return accepted.key;
    },
  });
  directory = await mkdtemp(join(tmpdir(), 'resilient-resend-keys-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  accepted.key = 're_env_key_one_0000000001';
});

function providerFrom(env: Record<string, string>): EmailProvider {
  const [provider] = selectProvidersFromEnv({ factories: [resendProviderFactory], env });
  return provider!;
}

describe('a Resend provider built from the environment rotates its key', () => {
  it('picks up a changed RESEND_API_KEY at the next send, with no refused request', async () => {
    const env = { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: accepted.key, RESEND_BASE_URL: fake.url };
    const provider = providerFrom(env);
    await provider.send(simpleMessage, sendContext({ idempotencyKey: 'before' }));
    accepted.key = env.RESEND_API_KEY = 're_env_key_two_0000000002';
    const result = await provider.send(simpleMessage, sendContext({ idempotencyKey: 'after' }));
    expect(result.messageId).toBe(fake.deliveries[1]?.id);
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual(['before', 'after']);
  });

  it('picks up a key rotated in the file RESEND_API_KEY_FILE names', async () => {
    const path = join(directory, 'resend_api_key');
    await writeFile(path, `${accepted.key}\n`);
    const provider = providerFrom({
      EMAIL_PROVIDER: 'resend',
      RESEND_API_KEY_FILE: path,
      RESEND_BASE_URL: fake.url,
    });
    await provider.send(simpleMessage, sendContext({ idempotencyKey: 'before' }));
    accepted.key = 're_file_key_two_000000002';
    await writeFile(path, `${accepted.key}\n`);
    await provider.send(simpleMessage, sendContext({ idempotencyKey: 'rotated-file' }));
    // The cached key is refused once; the file is read again and the same send goes out once more.
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual([
      'before',
      'rotated-file',
      'rotated-file',
    ]);
    expect(fake.deliveries).toHaveLength(2);
  });

  it('ends a key revoked at Resend but unchanged in the environment with one AuthError', async () => {
    const client = createEmailClientFromEnv({
      factories: [resendProviderFactory],
      env: { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: accepted.key, RESEND_BASE_URL: fake.url },
    });
    accepted.key = 're_someone_else_00000003';
    await expect(client.send(simpleMessage)).rejects.toMatchObject({ kind: 'auth' });
    expect(fake.requests).toHaveLength(1);
  });
});
