/** The `resilient()` options an adapter passes through to its pipeline unchanged. */
export const PIPELINE_OPTION_NAMES: readonly string[] = Object.freeze([
  'totalTimeoutMs',
  'attemptTimeoutMs',
  'retry',
  'circuitBreaker',
  'bulkhead',
  'rateLimit',
  'random',
  'plugins',
  'clock',
]);

/**
 * For adapter authors: splits an adapter's options into its own (`own` names) and the `resilient()`
 * options it passes to its pipeline ({@link PIPELINE_OPTION_NAMES}). A name the adapter decides per
 * call (a key of `decidedPerCall`, with the reason as its value) and any unknown name throw a
 * `TypeError` that names the option and lists the accepted ones.
 */
export function splitPipelineOptions(
  owner: string,
  options: unknown,
  own: readonly string[],
  decidedPerCall: Readonly<Record<string, string>> = {},
): { readonly own: Readonly<Record<string, unknown>>; readonly pipeline: Record<string, unknown> } {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`${owner}: options must be an object`);
  }
  const record = (options ?? {}) as Readonly<Record<string, unknown>>;
  const ownOptions: Record<string, unknown> = {};
  const pipeline: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const reason = Object.hasOwn(decidedPerCall, name) ? decidedPerCall[name] : undefined;
    if (reason !== undefined) throw new TypeError(`${owner}: ${name} is not an option here: ${reason}`);
    if (PIPELINE_OPTION_NAMES.includes(name)) pipeline[name] = value;
    else if (own.includes(name)) ownOptions[name] = value;
    else {
      throw new TypeError(
        `${owner}: unknown option "${name}"; accepted options are ${[...own, ...PIPELINE_OPTION_NAMES].join(', ')}`,
      );
    }
  }
  return { own: ownOptions, pipeline };
}
