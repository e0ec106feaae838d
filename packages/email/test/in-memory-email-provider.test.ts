import { describeEmailProviderConformance, InMemoryEmailProvider } from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';
import { MESSAGE } from './support/email-test-kit';

const API_KEY = 'in-memory-key-not-used-anywhere';

for (const options of [
  { name: 'memory' },
  { name: 'memory-idempotent', idempotencyKeys: true, batch: true },
]) {
  describeEmailProviderConformance({
    name: `InMemoryEmailProvider (${options.name})`,
    setup: () => {
      const provider = new InMemoryEmailProvider(options);
      return {
        provider,
        apiKey: API_KEY,
        arrange: (fault) => {
          provider.failNext(fault);
        },
        deliveries: () => provider.deliveries.length,
        requests: () => provider.requests,
      };
    },
  });
}

describe('InMemoryEmailProvider', () => {
  const context = (idempotencyKey = 'key-1') => ({
    signal: new AbortController().signal,
    idempotencyKey,
    attempt: 1,
  });

  it('fails every send with failAlways until recover', async () => {
    const provider = new InMemoryEmailProvider().failAlways('unavailable');
    await expect(provider.send(MESSAGE, context())).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(provider.send(MESSAGE, context())).rejects.toMatchObject({ kind: 'unavailable' });
    provider.recover();
    await expect(provider.send(MESSAGE, context())).resolves.toEqual({
      provider: 'memory',
      messageId: 'memory-1',
    });
  });

  it('runs queued faults before a permanent one, in order', async () => {
    const provider = new InMemoryEmailProvider()
      .failNext('auth')
      .failNext('server', 2)
      .failAlways('network-refused');
    const kinds: string[] = [];
    for (let count = 0; count < 4; count++) {
      await provider.send(MESSAGE, context()).catch((error: { kind: string }) => kinds.push(error.kind));
    }
    expect(kinds).toEqual(['auth', 'server', 'server', 'network']);
  });

  it('replays the first result for a repeated key when it has idempotency keys, and only then', async () => {
    const deduplicating = new InMemoryEmailProvider({ idempotencyKeys: true });
    const first = await deduplicating.send(MESSAGE, context('same'));
    expect(await deduplicating.send(MESSAGE, context('same'))).toEqual(first);
    expect(deduplicating.deliveries).toHaveLength(1);

    const plain = new InMemoryEmailProvider();
    await plain.send(MESSAGE, context('same'));
    await plain.send(MESSAGE, context('same'));
    expect(plain.deliveries).toHaveLength(2);
    expect(plain.requests.map((request) => request.idempotencyKey)).toEqual([undefined, undefined]);
  });

  it('refuses an unknown fault and a bad repeat count', () => {
    const provider = new InMemoryEmailProvider();
    expect(() => provider.failNext('gremlins' as 'server')).toThrow(
      /unknown fault "gremlins"; known faults: rate-limit/,
    );
    expect(() => provider.failNext('server', 0)).toThrow(/times must be an integer from 1 to 10000; got 0/);
  });
});
