import { name, version } from '../package.json';

/**
 * The instrumentation scope of every tracer and meter this package creates: the package's name and
 * version, which Jaeger shows as `otel.scope.name` and `otel.scope.version`.
 */
export const INSTRUMENTATION_SCOPE: Readonly<{ name: string; version: string }> = Object.freeze({
  name,
  version,
});
