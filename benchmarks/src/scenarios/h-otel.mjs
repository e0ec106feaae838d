// H. The OpenTelemetry plugin's overhead on a successful call through resilient(): the plugin with no
// SDK registered (the API's no-op tracer), with an SDK whose sampler is always off, and with an SDK
// recording every span to an in-memory exporter. Each subject gets the plugin through its own
// pipeline's `plugins`, and the SDKs through the plugin's `tracerProvider`, so nothing global changes.

import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resilient } from '@resilient/core';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { counting, expect, fn } from '../harness.mjs';

function pipelineWith(tracerProvider) {
  const plugin = openTelemetryPlugin(tracerProvider === undefined ? {} : { tracerProvider });
  return resilient({ service: 'bench', plugins: [plugin] });
}

/** One call per success; `spansPerCall` spans (operation + attempt) land in `exporter`, if any. */
async function verify(policy, name, exporter, spansPerCall) {
  const ok = counting();
  for (let i = 0; i < 3; i++) expect((await policy.execute(ok)) === 42, `${name}: must resolve with 42`);
  expect(ok.calls === 3, `${name}: 3 calls must run fn 3 times, ran ${ok.calls}`);
  if (exporter === undefined) return;
  const spans = exporter.getFinishedSpans();
  expect(
    spans.length === 3 * spansPerCall,
    `${name}: 3 calls must record ${3 * spansPerCall} spans, recorded ${spans.length}`,
  );
  if (spansPerCall > 0) {
    const names = new Set(spans.map((span) => span.name));
    expect(
      names.has('bench execute') && names.has('bench execute attempt'),
      `${name}: spans must be named "bench execute" and "bench execute attempt", got ${[...names].join(', ')}`,
    );
  }
  exporter.reset();
}

function sdk(sampler) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    ...(sampler ? { sampler } : {}),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { exporter, provider };
}

export default {
  id: 'H',
  title: 'OpenTelemetry plugin overhead on resilient() (no SDK, always-off sampler, in-memory exporter)',
  subjects: [
    {
      name: '@resilient/core resilient(), no plugin',
      lib: 'resilient',
      key: 'H.none',
      setup() {
        const policy = resilient({ service: 'bench' });
        return { run: () => policy.execute(fn), verify: () => verify(policy, 'no plugin') };
      },
    },
    {
      name: 'resilient() + OpenTelemetry plugin, no SDK registered',
      lib: 'resilient',
      key: 'H.noSdk',
      setup() {
        const policy = pipelineWith(undefined);
        return { run: () => policy.execute(fn), verify: () => verify(policy, 'no SDK') };
      },
    },
    {
      name: 'resilient() + OpenTelemetry plugin, SDK with an always-off sampler',
      lib: 'resilient',
      key: 'H.alwaysOff',
      setup() {
        const { exporter, provider } = sdk(new AlwaysOffSampler());
        const policy = pipelineWith(provider);
        return { run: () => policy.execute(fn), verify: () => verify(policy, 'always-off', exporter, 0) };
      },
    },
    {
      name: 'resilient() + OpenTelemetry plugin, SDK recording to memory',
      lib: 'resilient',
      key: 'H.recording',
      setup() {
        const { exporter, provider } = sdk(undefined);
        const policy = pipelineWith(provider);
        // The exporter would hold every span of the run: empty it as the run goes.
        let calls = 0;
        const run = () => {
          if (++calls % 10_000 === 0) exporter.reset();
          return policy.execute(fn);
        };
        return { run, verify: () => verify(policy, 'recording', exporter, 2) };
      },
    },
  ],
};
