/** @internal Option checks that run once, when a policy is built. Messages name the option and the range. */

export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  range: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const kind = range.integer ? 'an integer' : 'a number';
  const upper =
    range.max === undefined ? '' : range.exclusiveMin ? ` and at most ${range.max}` : ` to ${range.max}`;
  const description = `${kind} ${range.exclusiveMin ? `greater than ${range.min}` : `from ${range.min}`}${upper}`;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (range.integer === true && !Number.isInteger(value)) ||
    (range.exclusiveMin ? value <= range.min : value < range.min) ||
    value > max
  ) {
    const error = typeof value === 'number' ? RangeError : TypeError;
    throw new error(`${owner}: ${name} must be ${description}; got ${show(value)}`);
  }
  return value;
}

export function optionalNumber(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  return value === undefined ? fallback : checkNumber(owner, name, value, range);
}

export function checkFunction<T>(owner: string, name: string, value: unknown): T {
  if (typeof value !== 'function')
    throw new TypeError(`${owner}: ${name} must be a function; got ${show(value)}`);
  return value as T;
}

export function checkBoolean(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${owner}: ${name} must be true or false; got ${show(value)}`);
  return value;
}

export function checkString(owner: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${owner}: ${name} must be a non-empty string; got ${show(value)}`);
  }
  return value;
}

export function checkObject(owner: string, name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${owner}: ${name} must be an object; got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

export function checkKeys(owner: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${owner}: unknown option "${key}"; accepted options are ${allowed.join(', ')}`);
    }
  }
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
