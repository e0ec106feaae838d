import type { StripeParams, StripeParamValue } from './stripe-form';

/**
 * A request Stripe refuses: the code, the message and the parameter, and whether it failed validation
 * (then nothing is saved under its idempotency key) or was refused while executing (then it is).
 */
export class StripeRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly param: string | undefined,
    readonly validation: boolean,
  ) {
    super(message);
    this.name = 'StripeRequestError';
  }
}

/** A parameter failed validation: 400, not saved under the idempotency key. */
export function invalidParam(code: string, message: string, param: string): StripeRequestError {
  return new StripeRequestError(code, message, param, true);
}

/** A referenced object does not exist: 404 `resource_missing`, refused while executing. */
export function missingResource(kind: string, id: string, param: string): StripeRequestError {
  return new StripeRequestError('resource_missing', `No such ${kind}: '${id}'`, param, false);
}

/** A string parameter, or `undefined` when absent; `''` (Stripe's "unset") is `null`. */
export function optionalString(params: StripeParams, name: string): string | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalidParam('parameter_invalid_string', `Invalid string: ${name} must be a string.`, name);
  return value === '' ? null : value;
}

/** A required string parameter. */
export function requiredString(params: StripeParams, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === null)
    throw invalidParam('parameter_missing', `Missing required param: ${name}.`, name);
  return value;
}

/** A whole-number parameter within `[min, max]`, or `undefined` when absent. */
export function optionalInteger(
  params: StripeParams,
  name: string,
  range: { min: number; max?: number },
): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value))
    throw invalidParam('parameter_invalid_integer', `Invalid integer: ${describe(value)}`, name);
  const number = Number(value);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (number < range.min || number > max) {
    throw invalidParam(
      'parameter_invalid_integer',
      `Invalid ${name}: must be from ${range.min} to ${max}; got ${number}.`,
      name,
    );
  }
  return number;
}

/** A boolean parameter (`true`/`false`), `false` when absent. */
export function booleanParam(params: StripeParams, name: string): boolean {
  const value = params[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidParam('parameter_invalid_boolean', `Invalid boolean: ${describe(value)}`, name);
}

/** `metadata[key]=value` pairs; an empty value removes the key, as Stripe does. */
export function metadataParam(
  params: StripeParams,
  existing: Record<string, string> = {},
): Record<string, string> {
  const value = params.metadata;
  if (value === undefined) return { ...existing };
  if (value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParam(
      'parameter_invalid_object',
      'Invalid object: metadata must be key-value pairs.',
      'metadata',
    );
  const result = { ...existing };
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string')
      throw invalidParam('parameter_invalid_string', `Invalid string: metadata[${key}]`, `metadata[${key}]`);
    if (entry === '') delete result[key];
    else result[key] = entry;
  }
  return result;
}

function describe(value: StripeParamValue): string {
  return typeof value === 'string' ? value : 'an object';
}
