/**
 * OpenTelemetry for `@resilient/core`: every operation as a span with a child span per attempt,
 * retries, breaker changes, fallbacks and rejections as span events, and opt-in resilience metrics.
 */
export { INSTRUMENTATION_SCOPE } from './instrumentation-scope';
export { OpenTelemetryPlugin, openTelemetryPlugin } from './open-telemetry-plugin';
export type { OpenTelemetryPluginOptions } from './open-telemetry-plugin-options';
export {
  ATTRIBUTES,
  EVENT_NAMES,
  METRICS,
  type ResilienceEventName,
  SPAN_EVENTS,
} from './telemetry-names';
