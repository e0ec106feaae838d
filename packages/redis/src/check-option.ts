/** @internal Option checks run once, when the fleet is built. Messages name the option and the range. */

export function checkKeys(owner: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${owner}: unknown option "${key}"; accepted options are ${allowed.join(', ')}`);
    }
  }
}

export function checkObject(owner: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${owner}: ${name} must be an object; got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

export function optionalNumber(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  if (value === undefined) return fallback;
  const kind = range.integer ? 'an integer' : 'a number';
  const lower = range.exclusiveMin ? `greater than ${range.min} and at most` : `from ${range.min} to`;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (range.integer === true && !Number.isInteger(value)) ||
    (range.exclusiveMin ? value <= range.min : value < range.min) ||
    value > range.max
  ) {
    const error = typeof value === 'number' ? RangeError : TypeError;
    throw new error(`${owner}: ${name} must be ${kind} ${lower} ${range.max}; got ${show(value)}`);
  }
  return value;
}

export function optionalBoolean(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${owner}: ${name} must be true or false; got ${show(value)}`);
  return value;
}

export function optionalFunction<T>(owner: string, name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`${owner}: ${name} must be a function; got ${show(value)}`);
  }
  return value as T | undefined;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
