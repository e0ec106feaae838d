import { TokenVerificationError } from '@clerk/backend/errors';
import { ResilientError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { type FakeClerk, findSecret, startFakeClerk } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionVerifier, type SessionVerifierOptions } from '../src/index';

const SECRET = 'sk_test_session_verifier_canary_0123456789';
const TTL = 60_000;
const STALE = 600_000;
const INTERVAL = 10_000;
let fake: FakeClerk;
beforeAll(async () => {
  fake = await startFakeClerk({ apiKey: SECRET });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const jwksFetches = () => fake.requests.filter((request) => request.path === '/v1/jwks').length;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

function verifierWith(clock: FakeClock, options: Partial<SessionVerifierOptions> = {}) {
  return createSessionVerifier({
    secretKey: SECRET,
    apiUrl: fake.url,
    clock,
    cacheTtlMs: TTL,
    maxStaleMs: STALE,
    minRefreshIntervalMs: INTERVAL,
    resilience: { retry: false },
    ...options,
  });
}

describe('session verification', () => {
  it('verifies with a configured PEM key and no network', async () => {
    const verifier = createSessionVerifier({ jwtKey: fake.keys.publicKeyPem });
    expect(await verifier.verify(fake.signSessionToken({ sub: 'user_pem' }))).toMatchObject({
      sub: 'user_pem',
    });
    expect(fake.requests).toHaveLength(0);
    expect(verifier.status()).toBeUndefined();
  });

  it('refuses a token signed with another key, an expired one and a malformed one with TokenVerificationError', async () => {
    const verifier = createSessionVerifier({ jwtKey: fake.keys.publicKeyPem });
    const expired = fake.signSessionToken({ exp: Math.floor(Date.now() / 1000) - 3600 });
    fake.keys.rotate();
    expect(await failure(verifier.verify(fake.signSessionToken()))).toBeInstanceOf(TokenVerificationError);
    expect(await failure(verifier.verify(expired))).toBeInstanceOf(TokenVerificationError);
    expect(await failure(verifier.verify('not-a-jwt'))).toBeInstanceOf(TokenVerificationError);
  });

  it('fetches the JWKS once and serves it from the cache within the TTL', async () => {
    const clock = new FakeClock();
    const verifier = verifierWith(clock);
    const token = fake.signSessionToken({ sub: 'user_cached' });
    expect(await verifier.verify(token)).toMatchObject({ sub: 'user_cached' });
    await clock.advance(TTL);
    await verifier.verify(token);
    expect(jwksFetches()).toBe(1);
    expect(verifier.status()?.state).toBe('fresh');
    expect(verifier.status()?.kids).toContain(fake.keys.currentKid);
  });

  it('refreshes in the background past the TTL, serving the cached keys meanwhile', async () => {
    const clock = new FakeClock();
    const verifier = verifierWith(clock);
    const token = fake.signSessionToken();
    await verifier.verify(token);
    await clock.advance(TTL + 1);
    fake.faults.enqueue({ type: 'latency', ms: 50 });
    await verifier.verify(token);
    expect(verifier.status()?.state).toBe('stale');
    await verifier.refresh();
    expect(jwksFetches()).toBe(2);
    expect(verifier.status()?.state).toBe('fresh');
  });

  it('keeps verifying through a JWKS outage and stops after the staleness bound', async () => {
    const clock = new FakeClock();
    const verifier = verifierWith(clock);
    const token = fake.signSessionToken({ sub: 'user_outage' });
    await verifier.verify(token);
    fake.faults.repeat({ type: 'status', status: 503 }, 1_000);
    for (let elapsed = 0; elapsed < TTL + STALE; elapsed += 5_000) {
      await clock.advance(5_000);
      expect(await verifier.verify(token)).toMatchObject({ sub: 'user_outage' });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const attempts = jwksFetches();
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(1 + Math.ceil(STALE / INTERVAL) + 1);
    await clock.advance(INTERVAL);
    const error = await failure(verifier.verify(token));
    expect(ResilientError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(verifier.status()?.state).toBe('expired');
    expect(findSecret(error, SECRET)).toEqual([]);
    fake.faults.clear();
    await clock.advance(INTERVAL);
    expect(await verifier.verify(token)).toMatchObject({ sub: 'user_outage' });
  });

  it('forces one refresh on an unknown kid (a rotation), rate-limited', async () => {
    const clock = new FakeClock();
    const verifier = verifierWith(clock);
    await verifier.verify(fake.signSessionToken());
    await clock.advance(INTERVAL);
    fake.keys.rotate();
    expect(await verifier.verify(fake.signSessionToken({ sub: 'user_rotated' }))).toMatchObject({
      sub: 'user_rotated',
    });
    expect(jwksFetches()).toBe(2);
    fake.keys.rotate();
    const error = await failure(verifier.verify(fake.signSessionToken()));
    expect(error).toMatchObject({ kind: 'auth', code: 'unknown_kid' });
    expect(jwksFetches()).toBe(2);
    await clock.advance(INTERVAL);
    await verifier.verify(fake.signSessionToken());
    expect(jwksFetches()).toBe(3);
  });

  it('reads a public JWKS URL without the secret key', async () => {
    const verifier = createSessionVerifier({ jwksUrl: `${fake.url}/v1/jwks`, resilience: { retry: false } });
    const error = await failure(verifier.verify(fake.signSessionToken()));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('checks its options, naming the option and its range', () => {
    expect(() => createSessionVerifier({})).toThrow(/jwtKey/);
    expect(() => createSessionVerifier({ jwtKey: 'abc' })).toThrow(/PEM/);
    expect(() => createSessionVerifier({ secretKey: SECRET, cacheTtlMs: 0 })).toThrow(/cacheTtlMs.*>= 1/);
    expect(() => createSessionVerifier({ secretKey: SECRET, maxStaleMs: -1 })).toThrow(/maxStaleMs/);
    expect(() => createSessionVerifier({ secretKey: SECRET, minRefreshIntervalMs: Number.NaN })).toThrow(
      /minRefreshIntervalMs/,
    );
    expect(() => createSessionVerifier({ jwksUrl: 'ftp://x' })).toThrow(/jwksUrl/);
  });
});

describe('session verification of malformed tokens with a JWKS', () => {
  it('refuses them with TokenVerificationError before fetching any key', async () => {
    const verifier = verifierWith(new FakeClock());
    expect(await failure(verifier.verify('a.b'))).toBeInstanceOf(TokenVerificationError);
    expect(jwksFetches()).toBe(0);
  });
});
