import { FakeClock } from '@resilient/core/testing';
import { describe, expect, it } from 'vitest';
import { refreshingSource, Secret } from '../src/index';

describe('refreshingSource', () => {
  it('serves the cached value past 80% of its TTL while it reads again in the background', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const source = refreshingSource(async () => new Secret(`key-${++reads}`, { name: 'KEY' }), {
      name: 'KEY',
      ttlMs: 1_000,
      clock,
    });
    expect((await source.get()).reveal()).toBe('key-1');
    await clock.advance(700);
    expect((await source.get()).reveal()).toBe('key-1');
    expect(reads).toBe(1);
    await clock.advance(150);
    expect((await source.get()).reveal()).toBe('key-1');
    await clock.flush();
    expect(reads).toBe(2);
    expect((await source.get()).reveal()).toBe('key-2');
  });
});
