import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret, secret } from '../src/secret';

const VALUE = 're_canary_5f2a91c7d3';

describe('Secret', () => {
  const key = secret(VALUE, { name: 'RESEND_API_KEY' });

  it('prints its name, never its value, in String, template strings and +', () => {
    expect(String(key)).toBe('[secret RESEND_API_KEY]');
    expect(`key: ${key}`).toBe('key: [secret RESEND_API_KEY]');
    expect(`${'key: '}${key}`).not.toContain(VALUE);
    expect(key.toString()).toBe('[secret RESEND_API_KEY]');
  });

  it('prints its name in JSON, alone and inside objects', () => {
    expect(JSON.stringify(key)).toBe('"[secret RESEND_API_KEY]"');
    expect(JSON.stringify({ config: { apiKey: key } })).toBe(
      '{"config":{"apiKey":"[secret RESEND_API_KEY]"}}',
    );
  });

  it('prints its name in util.inspect, with hidden properties and at any depth', () => {
    expect(inspect(key)).toBe('[secret RESEND_API_KEY]');
    const text = inspect({ deep: [{ key }] }, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(text).toContain('[secret RESEND_API_KEY]');
    expect(text).not.toContain(VALUE);
  });

  it('keeps its value out of own properties, spreads and structured clones', () => {
    expect(Object.values(key)).not.toContain(VALUE);
    expect(JSON.stringify({ ...key })).not.toContain(VALUE);
    expect(inspect(structuredClone(key), { showHidden: true })).not.toContain(VALUE);
  });

  it('gives its value only through reveal', () => {
    expect(key.reveal()).toBe(VALUE);
  });

  it('compares values with equals', () => {
    expect(key.equals(secret(VALUE, { name: 'OTHER' }))).toBe(true);
    expect(key.equals(secret(`${VALUE}x`, { name: 'RESEND_API_KEY' }))).toBe(false);
    expect(key.equals(secret('re_other_value', { name: 'RESEND_API_KEY' }))).toBe(false);
  });

  it('is recognized across copies by its marker, and Secret.from keeps a Secret as is', () => {
    expect(isSecret(key)).toBe(true);
    expect(Secret.isInstance(key)).toBe(true);
    expect(isSecret({ reveal: () => VALUE })).toBe(false);
    expect(Secret.from(key, { name: 'IGNORED' })).toBe(key);
    expect(Secret.from(VALUE, { name: 'FROM_STRING' }).name).toBe('FROM_STRING');
  });

  it('refuses an empty value or a bad name with messages that never hold the value', () => {
    expect(() => secret('  ', { name: 'RESEND_API_KEY' })).toThrow(
      /value of RESEND_API_KEY must be a non-empty/,
    );
    expect(() => secret(VALUE, { name: '' })).toThrow(/options.name must be 1 to 200 characters/);
    expect(() => secret(VALUE, { name: 'A\nB' })).toThrow(RangeError);
    expect(() => secret(VALUE, undefined as never)).toThrow(/options.name must be a string/);
    try {
      secret(VALUE, { name: 'x'.repeat(300) });
    } catch (error) {
      expect(String(error)).not.toContain(VALUE);
    }
  });

  it('cannot be changed', () => {
    expect(Object.isFrozen(key)).toBe(true);
  });
});
