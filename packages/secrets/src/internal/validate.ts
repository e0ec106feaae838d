/** @internal Throws a `TypeError` naming the function and option when `value` is not a non-empty string. */
export function requireText(where: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${where}: ${option} must be a non-empty string; got ${describeType(value)}`);
  }
  return value;
}

/** @internal Checks an optional duration in milliseconds: a whole number from `min`, or `Infinity` when allowed. */
export function optionalDuration(
  where: string,
  option: string,
  value: unknown,
  fallback: number,
  range: { readonly min: number; readonly allowInfinity?: boolean },
): number {
  if (value === undefined) return fallback;
  const valid =
    typeof value === 'number' &&
    ((range.allowInfinity === true && value === Number.POSITIVE_INFINITY) ||
      (Number.isInteger(value) && value >= range.min && value <= Number.MAX_SAFE_INTEGER));
  if (!valid) {
    const upper = range.allowInfinity === true ? ' or Infinity' : '';
    throw new RangeError(
      `${where}: ${option} must be a whole number of milliseconds >= ${range.min}${upper}; got ${String(value)}`,
    );
  }
  return value;
}

/** @internal Throws a `TypeError` for option names the function does not know (a typo fails at once). */
export function checkKeys(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}"; expected one of ${known.join(', ')}`);
    }
  }
}

/** @internal Checks that `options` is an object (or absent) and returns it. */
export function checkOptions<T extends object>(where: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object; got ${describeType(options)}`);
  }
  return options;
}

/** The type of a value for an error message: never the value itself, which may be a secret. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a blank string';
  return typeof value;
}
