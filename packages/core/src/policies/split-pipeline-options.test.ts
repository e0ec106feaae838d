import { describe, expect, it } from 'vitest';
import { PIPELINE_OPTION_NAMES, splitPipelineOptions } from './split-pipeline-options';

describe('splitPipelineOptions', () => {
  it('splits an adapter’s own options from the pipeline’s', () => {
    const { own, pipeline } = splitPipelineOptions(
      'createThing',
      { service: 'x', retry: false, attemptTimeoutMs: 5 },
      ['service'],
    );
    expect(own).toEqual({ service: 'x' });
    expect(pipeline).toEqual({ retry: false, attemptTimeoutMs: 5 });
    expect(PIPELINE_OPTION_NAMES).toContain('circuitBreaker');
  });

  it('refuses an option decided per call, with the reason, and an unknown one, listing the accepted', () => {
    expect(() =>
      splitPipelineOptions('createThing', { idempotent: true }, [], { idempotent: 'decided per call' }),
    ).toThrow('createThing: idempotent is not an option here: decided per call');
    expect(() => splitPipelineOptions('createThing', { retries: 3 }, ['service'])).toThrow(
      /createThing: unknown option "retries"; accepted options are service, totalTimeoutMs/,
    );
    expect(() => splitPipelineOptions('createThing', 'nope', [])).toThrow(
      'createThing: options must be an object',
    );
  });
});
