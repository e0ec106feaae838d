import {
  describeEmailProviderConformance,
  type EmailProviderConformanceOptions,
} from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';

const setup = () => {
  throw new Error('never called: the options are refused first');
};

describe('describeEmailProviderConformance: options', () => {
  it.each([
    ['no name', { setup }, TypeError, /name must be a non-empty string/],
    ['no setup', { name: 'x' }, TypeError, /setup must be a function that returns a harness/],
    [
      'a required fault declared unsupported',
      { name: 'x', setup, unsupportedFaults: ['auth'] },
      RangeError,
      /unsupportedFaults lists "auth"; only quota-exceeded may be declared unsupported/,
    ],
    [
      'an invalid message',
      { name: 'x', setup, message: { from: 'nobody' } },
      Error,
      /email: message\.from must be an address/,
    ],
    [
      'a zero wait',
      { name: 'x', setup, waitTimeoutMs: 0 },
      RangeError,
      /waitTimeoutMs must be a number from 10 to 60000/,
    ],
    [
      'a non-boolean honoursAbortSignal',
      { name: 'x', setup, honoursAbortSignal: 'yes' },
      TypeError,
      /honoursAbortSignal must be true or false/,
    ],
  ])('refuses %s when the suite is declared', (_case, options, errorClass, message) => {
    const declare = () =>
      describeEmailProviderConformance(options as unknown as EmailProviderConformanceOptions);
    expect(declare).toThrow(errorClass);
    expect(declare).toThrow(message);
  });
});
