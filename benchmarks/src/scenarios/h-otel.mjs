// H. The OpenTelemetry plugin's overhead: with no SDK registered, with an SDK and an always-off
// sampler, and with an SDK recording to an in-memory exporter.
//
// PENDING: the plugin package does not exist yet. When it does, add it (and @opentelemetry/api 1.9.1,
// @opentelemetry/sdk-trace-base 2.x) to this package's devDependencies and turn this file into a
// scenario like the others: `subjects` with `setup()` returning `run`, `verify` (the spans really
// recorded, or really not) and `check`; then list it in SCENARIOS in main.mjs.
export default {
  id: 'H',
  title: 'OpenTelemetry plugin overhead (no SDK, always-off sampler, in-memory exporter)',
  pending: 'the OpenTelemetry plugin package does not exist yet',
  subjects: [],
};
