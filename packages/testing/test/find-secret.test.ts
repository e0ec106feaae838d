import { describe, expect, it } from 'vitest';
import { findSecret } from '../src/secrets/find-secret';

const SECRET = 'canary-5b1f0c2e';

describe('findSecret', () => {
  it('finds nothing in a value without the secret', () => {
    expect(findSecret(new Error('plain failure', { cause: { status: 500 } }), SECRET)).toEqual([]);
  });

  it('finds the secret in the message, String() and the stack', () => {
    expect(findSecret(new Error(`key ${SECRET} refused`), SECRET)).toEqual([
      'String',
      'message',
      'stack',
      'util.inspect',
    ]);
  });

  it('finds the secret deep in a cause chain, only through util.inspect', () => {
    const error = new Error('outer', {
      cause: { config: { headers: { common: { nested: { Authorization: `Bearer ${SECRET}` } } } } },
    });
    expect(findSecret(error, SECRET)).toEqual(['util.inspect']);
  });

  it('finds the secret in a non-enumerable property and through toJSON', () => {
    const hidden = {};
    Object.defineProperty(hidden, 'key', { value: SECRET, enumerable: false });
    expect(findSecret(hidden, SECRET)).toEqual(['util.inspect']);
    expect(findSecret({ toJSON: () => ({ key: SECRET }) }, SECRET)).toContain('JSON.stringify');
  });

  it('skips views that throw, such as JSON.stringify of a cycle', () => {
    const cyclic: Record<string, unknown> = { key: SECRET };
    cyclic.self = cyclic;
    expect(findSecret(cyclic, SECRET)).toEqual(['util.inspect']);
  });

  it('refuses an empty secret', () => {
    expect(() => findSecret('anything', '')).toThrow(TypeError);
  });
});
