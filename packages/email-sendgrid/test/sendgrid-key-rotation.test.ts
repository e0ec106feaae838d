import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import type { EmailProvider } from '@resilient/email';
import { cachedSource, fileSecret, secret } from '@resilient/secrets';
import { type FakeSendGrid, startFakeSendGrid } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendGridProvider } from '../src/create-sendgrid-provider';
import { sendContext, simpleMessage } from './support';

/** The key the fake accepts right now: rotating it here is rotating it at SendGrid. */
const accepted = { key: 'SG.key-one.aaaaaaaa' };
const manager = { key: 'SG.key-one.aaaaaaaa', loads: 0 };
let fake: FakeSendGrid;
let directory: string;
beforeAll(async () => {
  fake = await startFakeSendGrid({
    get apiKey() {
      return accepted.key;
    },
  });
  directory = await mkdtemp(join(tmpdir(), 'sendgrid-rotation-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  accepted.key = manager.key = 'SG.key-one.aaaaaaaa';
  manager.loads = 0;
});

function providerWithManager(): EmailProvider {
  const apiKey = cachedSource(
    async () => {
      manager.loads++;
      return manager.key;
    },
    { name: 'SENDGRID_API_KEY', clock: new FakeClock() },
  );
  return createSendGridProvider({ apiKey, baseUrl: fake.url });
}

describe('SendGrid key rotation', () => {
  it('picks up a key rotated at SendGrid and in the manager with one transparent retry', async () => {
    const provider = providerWithManager();
    await provider.send(simpleMessage, sendContext());
    accepted.key = manager.key = 'SG.key-two.bbbbbbbb';
    const result = await provider.send(simpleMessage, sendContext());
    expect(result.messageId).toBe(fake.deliveries[1]?.messageId);
    expect(fake.requests).toHaveLength(3);
    expect(fake.deliveries).toHaveLength(2);
  });

  it('picks up a key rotated in a mounted file', async () => {
    const path = join(directory, 'sendgrid_api_key');
    await writeFile(path, `${accepted.key}\n`);
    const provider = createSendGridProvider({ apiKey: fileSecret(path), baseUrl: fake.url });
    await provider.send(simpleMessage, sendContext());
    accepted.key = 'SG.key-three.cccccccc';
    await writeFile(path, `${accepted.key}\n`);
    await provider.send(simpleMessage, sendContext());
    expect(fake.requests).toHaveLength(3);
    expect(fake.deliveries).toHaveLength(2);
  });

  it('ends a revoked key with one AuthError and one request', async () => {
    const provider = providerWithManager();
    accepted.key = 'SG.someone-else.x';
    const error = await provider.send(simpleMessage, sendContext()).catch((caught: unknown) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after the fresh key is refused too: two requests, one AuthError, no loop', async () => {
    const provider = providerWithManager();
    await provider.send(simpleMessage, sendContext());
    accepted.key = 'SG.revoked.x';
    manager.key = 'SG.also-bad.y';
    await expect(provider.send(simpleMessage, sendContext())).rejects.toMatchObject({ kind: 'auth' });
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a plain key or a Secret, nor a permission error', async () => {
    accepted.key = 'SG.other.z';
    for (const apiKey of [
      'SG.key-one.aaaaaaaa',
      secret('SG.key-one.aaaaaaaa', { name: 'SENDGRID_API_KEY' }),
    ]) {
      const provider = createSendGridProvider({ apiKey, baseUrl: fake.url });
      await expect(provider.send(simpleMessage, sendContext())).rejects.toMatchObject({ kind: 'auth' });
    }
    accepted.key = manager.key;
    fake.faults.enqueue({ type: 'status', status: 403 });
    await expect(providerWithManager().send(simpleMessage, sendContext())).rejects.toMatchObject({
      kind: 'permission',
    });
    expect(fake.requests).toHaveLength(3);
  });
});
