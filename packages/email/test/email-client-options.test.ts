import { createEmailClient, DEFAULT_FAILOVER_KINDS, type EmailClientOptions } from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';

const provider = new InMemoryEmailProvider({ name: 'memory' });
const build = (options: unknown) => () => createEmailClient(options as EmailClientOptions);

describe('createEmailClient: options', () => {
  it.each([
    ['no options', undefined, TypeError, /options must be an object with providers/],
    [
      'an unknown option',
      { providers: [provider], retries: 3 },
      TypeError,
      /unknown option "retries"; accepted options are providers, pipeline/,
    ],
    [
      'providers that are not an array',
      { providers: provider },
      TypeError,
      /providers must be an array of email providers/,
    ],
    ['no providers', { providers: [] }, RangeError, /providers must list at least one provider/],
    [
      'a provider without send',
      { providers: [{ name: 'x', capabilities: { idempotencyKeys: false, batch: false } }] },
      TypeError,
      /providers\[0\]\.send must be a function/,
    ],
    [
      'a provider name with a space',
      { providers: [{ ...provider, name: 'my provider', send: provider.send }] },
      TypeError,
      /providers\[0\]\.name must be a non-empty string without spaces/,
    ],
    [
      'a provider without capabilities',
      { providers: [{ name: 'x', send: () => undefined }] },
      TypeError,
      /providers\[0\]\.capabilities must be \{ idempotencyKeys: boolean, batch: boolean \}/,
    ],
    [
      'batch without sendBatch',
      {
        providers: [
          { name: 'x', capabilities: { idempotencyKeys: false, batch: true }, send: () => undefined },
        ],
      },
      TypeError,
      /sendBatch must be a function, since capabilities\.batch is true/,
    ],
    [
      'two providers with one name',
      { providers: [provider, new InMemoryEmailProvider({ name: 'memory' })] },
      RangeError,
      /lists "memory" twice/,
    ],
    [
      'a non-boolean allowDuplicateRisk',
      { providers: [provider], allowDuplicateRisk: 'yes' },
      TypeError,
      /allowDuplicateRisk must be true or false/,
    ],
    [
      'failoverOn with an unknown kind',
      { providers: [provider], failoverOn: ['outage'] },
      TypeError,
      /failoverOn lists "outage", which is not an error kind/,
    ],
    [
      'failoverOn with cancelled',
      { providers: [provider], failoverOn: ['cancelled'] },
      RangeError,
      /failoverOn may not list "cancelled"/,
    ],
    [
      'failoverOn with conflict',
      { providers: [provider], failoverOn: ['conflict'] },
      RangeError,
      /failoverOn may not list "conflict"/,
    ],
    [
      'a pipeline that is a string',
      { providers: [provider], pipeline: 'fast' },
      TypeError,
      /pipeline must be an object of pipeline options, or a function/,
    ],
    [
      'a pipeline with a fallback',
      { providers: [provider], pipeline: { fallback: { value: 1 } } },
      TypeError,
      /pipeline of "memory": fallback is not accepted: the client fails over between providers instead/,
    ],
    [
      'a pipeline with its own service',
      { providers: [provider], pipeline: { service: 'x' } },
      TypeError,
      /service is not accepted/,
    ],
    [
      'a pipeline marked idempotent',
      { providers: [provider], pipeline: { idempotent: true } },
      TypeError,
      /idempotent is not accepted: the client retries an unknown outcome only at providers with idempotency keys/,
    ],
    [
      'a pipeline without any timeout',
      { providers: [provider], pipeline: { totalTimeoutMs: false, attemptTimeoutMs: false } },
      RangeError,
      /totalTimeoutMs and attemptTimeoutMs cannot both be false/,
    ],
    [
      'a pipeline option out of range',
      { providers: [provider], pipeline: { attemptTimeoutMs: -1 } },
      RangeError,
      /pipeline of "memory": resilient: attemptTimeoutMs must be a number greater than 0/,
    ],
    [
      'a key generator that is not a function',
      { providers: [provider], generateIdempotencyKey: 'uuid' },
      TypeError,
      /generateIdempotencyKey must be a function/,
    ],
  ])('refuses %s, naming the option', (_case, options, errorClass, message) => {
    expect(build(options)).toThrow(errorClass);
    expect(build(options)).toThrow(message);
  });

  it('gives each provider its own pipeline options when pipeline is a function', () => {
    const seen: string[] = [];
    const client = createEmailClient({
      providers: [provider, new InMemoryEmailProvider({ name: 'other' })],
      pipeline: (each) => {
        seen.push(each.name);
        return each.name === 'other' ? { circuitBreaker: false } : {};
      },
    });
    expect(seen).toEqual(['memory', 'other']);
    expect(client.health().providers.map((health) => health.breaker)).toEqual(['closed', 'none']);
  });

  it('exposes the provider names in order and whether batches are possible', () => {
    const client = createEmailClient({
      providers: [provider, new InMemoryEmailProvider({ name: 'bulk', batch: true })],
    });
    expect(client.providers).toEqual(['memory', 'bulk']);
    expect(client.supportsBatch).toBe(true);
  });

  it('fails over by default on provider failures, quotas, refused keys and local refusals only', () => {
    expect([...DEFAULT_FAILOVER_KINDS].sort()).toEqual(
      [
        'auth',
        'bulkhead-rejected',
        'circuit-open',
        'network',
        'permission',
        'quota-exceeded',
        'rate-limit',
        'rate-limiter-rejected',
        'server',
        'timeout',
        'unavailable',
      ].sort(),
    );
  });
});
