import { FakeClock } from '@resilient/core/testing';
import { MissingSecretError, SecretUnavailableError, secret } from '@resilient/secrets';
import {
  type FakeReply,
  type FakeRequest,
  type FakeServer,
  findSecret,
  startFakeServer,
} from '@resilient/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DopplerError, dopplerSource } from '../src';

const CANARY = 're_CANARY_7b3e9d1f0a';
const TOKEN = 'dp.st.prd.TOKENCANARY0123456789';
const secrets = new Map<string, string>();
let mode: 'ok' | 'down' | 'garbage' | number = 'ok';
const requests: FakeRequest[] = [];
let server: FakeServer;
let clock: FakeClock;

const json = (status: number, body: unknown): FakeReply => ({
  type: 'respond',
  response: { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
});

beforeEach(async () => {
  secrets.clear();
  requests.length = 0;
  mode = 'ok';
  clock = new FakeClock();
  server = await startFakeServer(async (request) => {
    requests.push(request);
    if (mode === 'down') return { type: 'destroy' };
    if (mode === 'garbage') return { type: 'respond', response: { status: 200, body: `<html>${CANARY}` } };
    if (typeof mode === 'number') {
      return json(mode, { messages: [`refused for token ${TOKEN}`], success: false });
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return json(401, { messages: ['Invalid Auth token'], success: false });
    }
    if (request.path !== '/v3/configs/config/secret') return json(404, { messages: ['Not found'] });
    const name = new URLSearchParams(request.query).get('name') ?? '';
    const value = secrets.get(name);
    if (value === undefined)
      return json(404, { messages: ['Could not find requested secret'], success: false });
    return json(200, { success: true, name, value: { raw: value, computed: value, note: '' } });
  });
});
afterEach(async () => {
  await server.close();
});

function source(extra: Partial<Parameters<typeof dopplerSource>[0]> = {}) {
  return dopplerSource({ token: TOKEN, name: 'RESEND_API_KEY', baseUrl: server.url, clock, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('dopplerSource', () => {
  it('serves a secret with the service token, and the project and config when given', async () => {
    secrets.set('RESEND_API_KEY', CANARY);
    const key = await source().get();
    expect(key.reveal()).toBe(CANARY);
    expect(String(key)).toBe('[secret RESEND_API_KEY]');
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.query).toBe('name=RESEND_API_KEY');
    await source({ project: 'web', config: 'prd', token: secret(TOKEN, { name: 'DOPPLER_TOKEN' }) }).get();
    expect(requests[1]!.query).toBe('project=web&config=prd&name=RESEND_API_KEY');
  });

  it('caches, shares one read, and refreshes in the background before expiry', async () => {
    secrets.set('RESEND_API_KEY', 're_one');
    const keys = source({ ttlMs: 10_000 });
    await Promise.all([keys.get(), keys.get()]);
    expect(requests).toHaveLength(1);
    secrets.set('RESEND_API_KEY', 're_two');
    await clock.advance(8_500);
    expect((await keys.get()).reveal()).toBe('re_one');
    await vi.waitFor(async () => expect((await keys.get()).reveal()).toBe('re_two'));
    expect(requests).toHaveLength(2);
  });

  it('picks up a rotated key when the old one is refused', async () => {
    secrets.set('RESEND_API_KEY', 're_old');
    const keys = source();
    const old = await keys.get();
    secrets.set('RESEND_API_KEY', 're_new');
    expect((await keys.get()).reveal()).toBe('re_old');
    expect((await keys.refresh(old)).reveal()).toBe('re_new');
    await Promise.all([keys.refresh(old), keys.refresh(old)]);
    expect(requests).toHaveLength(2);
  });

  it('serves the last value while Doppler is unreachable, up to maxStaleMs, then a typed error', async () => {
    secrets.set('RESEND_API_KEY', CANARY);
    const onStale = vi.fn();
    const keys = source({ ttlMs: 60_000, maxStaleMs: 600_000, onStale });
    await keys.get();
    mode = 'down';
    await clock.advance(61_000);
    expect((await keys.get()).reveal()).toBe(CANARY);
    expect(onStale).toHaveBeenCalledTimes(1);
    await clock.advance(600_000);
    const error = (await failure(keys.get())) as SecretUnavailableError;
    expect(SecretUnavailableError.isInstance(error)).toBe(true);
    expect(error.secretName).toBe('RESEND_API_KEY');
    expect((error.cause as DopplerError).reason).toBe('unreachable');
    for (const value of [CANARY, TOKEN]) expect(findSecret(error, value)).toEqual([]);
  });

  it.each([
    [401, 'access-denied'],
    [403, 'access-denied'],
    [429, 'throttled'],
    [503, 'unreachable'],
    [400, 'failed'],
  ])('maps HTTP %i to %s, without the token', async (status, reason) => {
    mode = status;
    const error = (await failure(source().get())) as SecretUnavailableError;
    expect(SecretUnavailableError.isInstance(error)).toBe(true);
    const cause = error.cause as DopplerError;
    expect(DopplerError.isInstance(cause)).toBe(true);
    expect(cause.reason).toBe(reason);
    expect(cause.status).toBe(status);
    expect(error.message).toContain('RESEND_API_KEY');
    expect(findSecret(error, TOKEN)).toEqual([]);
  });

  it('rejects a wrong token as access denied', async () => {
    const error = (await failure(source({ token: 'dp.st.wrong' }).get())) as SecretUnavailableError;
    expect((error.cause as DopplerError).reason).toBe('access-denied');
    expect(findSecret(error, 'dp.st.wrong')).toEqual([]);
  });

  it('names a missing secret with a MissingSecretError', async () => {
    const error = await failure(source().get());
    expect(MissingSecretError.isInstance(error)).toBe(true);
    expect((error as MissingSecretError).missing).toEqual([
      { name: 'RESEND_API_KEY', where: 'Doppler', reason: 'not found' },
    ]);
  });

  it('rejects a malformed answer without showing it', async () => {
    mode = 'garbage';
    const error = (await failure(source().get())) as SecretUnavailableError;
    expect((error.cause as DopplerError).reason).toBe('malformed');
    for (const value of [CANARY, TOKEN]) expect(findSecret(error, value)).toEqual([]);
  });

  it('rejects bad options at once, without echoing the token', () => {
    expect(() => dopplerSource({ token: '', name: 'A' })).toThrow(TypeError);
    expect(() => dopplerSource({ token: TOKEN, name: 'A', project: 'web' })).toThrow(
      /both project and config/,
    );
    expect(() => dopplerSource({ token: TOKEN, name: 'A', typo: 1 } as never)).toThrow(/unknown option/);
  });
});
