import { FakeClock } from '@resilient/core/testing';
import { describe, expect, it } from 'vitest';
import { type CachedSourceOptions, cachedSource } from '../src/cached-source';
import { MissingSecretError } from '../src/missing-secret-error';
import { SecretUnavailableError } from '../src/secret-unavailable-error';

/** A secret manager double: answers with the current value, or fails while `down`. */
function manager(initial: string) {
  const state = { value: initial, down: false, loads: 0, release: undefined as (() => void) | undefined };
  const loader = async (): Promise<string> => {
    state.loads++;
    if (state.release !== undefined) await new Promise<void>((resolve) => (state.release = resolve));
    if (state.down) throw new Error('manager unreachable: Bearer sk_live_abcdefghijkl refused');
    return state.value;
  };
  return { state, loader };
}

function setup(options: Partial<CachedSourceOptions> = {}) {
  const clock = new FakeClock();
  const { state, loader } = manager('key-one');
  const source = cachedSource(loader, { name: 'prod/resend', ttlMs: 60_000, clock, ...options });
  return { clock, state, source };
}

describe('cachedSource', () => {
  it('caches the value for ttlMs, then loads it again', async () => {
    const { clock, state, source } = setup();
    expect((await source.get()).reveal()).toBe('key-one');
    state.value = 'key-two';
    await clock.advance(59_999);
    expect((await source.get()).reveal()).toBe('key-one');
    await clock.advance(1);
    expect((await source.get()).reveal()).toBe('key-two');
    expect(state.loads).toBe(2);
  });

  it('shares one load among concurrent callers', async () => {
    const { state, source } = setup();
    state.release = () => undefined;
    const all = Promise.all([source.get(), source.get(), source.get()]);
    await Promise.resolve();
    state.release();
    state.release = undefined;
    const secrets = await all;
    expect(secrets.map((secret) => secret.reveal())).toEqual(['key-one', 'key-one', 'key-one']);
    expect(state.loads).toBe(1);
  });

  it('serves the stale value when a load fails within maxStaleMs, and reports it', async () => {
    const reports: unknown[] = [];
    const { clock, state, source } = setup({ maxStaleMs: 30_000, onStale: (error) => reports.push(error) });
    await source.get();
    state.down = true;
    await clock.advance(60_000);
    expect((await source.get()).reveal()).toBe('key-one');
    expect(reports).toHaveLength(1);
    expect(SecretUnavailableError.isInstance(reports[0])).toBe(true);
    expect(String(reports[0])).not.toContain('sk_live_abcdefghijkl');
  });

  it('waits minRefreshIntervalMs after a failed load before asking the manager again', async () => {
    const { clock, state, source } = setup({ maxStaleMs: 600_000, minRefreshIntervalMs: 10_000 });
    await source.get();
    state.down = true;
    await clock.advance(60_000);
    for (let call = 0; call < 100; call++) await source.get();
    expect(state.loads).toBe(2);
    await clock.advance(10_000);
    await source.get();
    expect(state.loads).toBe(3);
  });

  it('rejects with a SecretUnavailableError naming the secret once the stale value is too old', async () => {
    const { clock, state, source } = setup({ maxStaleMs: 30_000 });
    await source.get();
    state.down = true;
    await clock.advance(90_000);
    const error = await source.get().catch((caught) => caught);
    expect(SecretUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'The secret prod/resend could not be read: manager unreachable: Bearer [redacted] refused',
    );
  });

  it('rejects on a first load that fails, and names an empty answer as missing', async () => {
    const { state, source } = setup();
    state.down = true;
    expect(SecretUnavailableError.isInstance(await source.get().catch((caught) => caught))).toBe(true);
    const empty = cachedSource(async () => '', { name: 'prod/empty' });
    const error = await empty.get().catch((caught) => caught);
    expect(MissingSecretError.isInstance(error)).toBe(true);
    expect(error.names).toEqual(['prod/empty']);
  });

  it('loads again on refresh of the refused secret, once within minRefreshIntervalMs', async () => {
    const { clock, state, source } = setup({ minRefreshIntervalMs: 5_000 });
    const refused = await source.get();
    state.value = 'key-two';
    expect((await source.refresh(refused)).reveal()).toBe('key-two');
    state.value = 'key-three';
    expect((await source.refresh()).reveal()).toBe('key-two');
    await clock.advance(5_000);
    expect((await source.refresh()).reveal()).toBe('key-three');
    expect(state.loads).toBe(3);
  });

  it('returns the newer secret without loading when the refused one was already replaced', async () => {
    const { state, source } = setup({ minRefreshIntervalMs: 0 });
    const refused = await source.get();
    state.value = 'key-two';
    await source.refresh(refused);
    const loads = state.loads;
    expect((await source.refresh(refused)).reveal()).toBe('key-two');
    expect(state.loads).toBe(loads);
  });

  it('validates its options at construction, naming the option and its range', () => {
    const loader = async () => 'x';
    expect(() => cachedSource(loader, { name: '' })).toThrow(/cachedSource: name must be a non-empty string/);
    expect(() => cachedSource(loader, { name: 'a', ttlMs: 0 })).toThrow(
      'cachedSource: ttlMs must be a whole number of milliseconds >= 1 or Infinity; got 0',
    );
    expect(() => cachedSource(loader, { name: 'a', maxStaleMs: Number.NaN })).toThrow(/maxStaleMs/);
    expect(() => cachedSource(loader, { name: 'a', minRefreshIntervalMs: 1.5 })).toThrow(
      /minRefreshIntervalMs/,
    );
    expect(() => cachedSource(loader, { name: 'a', ttl: 5 } as never)).toThrow(/unknown option "ttl"/);
    expect(() => cachedSource('x' as never, { name: 'a' })).toThrow(/loader must be a function/);
  });
});
