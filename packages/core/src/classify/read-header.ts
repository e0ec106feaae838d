/**
 * Headers in any of the shapes provider SDKs hand out: a fetch `Headers`, axios `AxiosHeaders`, a `Map`,
 * or a plain object (keys in any case, values as strings, numbers or arrays).
 */
export type HeadersLike =
  | { get(name: string): unknown }
  | Readonly<Record<string, unknown>>
  | null
  | undefined;

/** Reads one header, case-insensitively, as a trimmed string; `undefined` when absent or empty. */
export function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  try {
    return normalize(lookup(headers, name.toLowerCase()));
  } catch {
    // A getter or a proxy that throws: the header cannot be read.
    return undefined;
  }
}

function lookup(headers: object, lower: string): unknown {
  const record = headers as Record<string, unknown>;
  if (typeof record.get === 'function') {
    let value: unknown;
    try {
      value = (headers as { get(name: string): unknown }).get(lower);
    } catch {
      value = undefined;
    }
    if (value !== undefined && value !== null) return value;
  }
  if (headers instanceof Map) {
    // A `Map` is case-sensitive: look for the name in any case.
    for (const [key, value] of headers) {
      if (typeof key === 'string' && key.toLowerCase() === lower) return value;
    }
    return undefined;
  }
  if (Object.hasOwn(record, lower) && record[lower] !== undefined) return record[lower];
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lower) return record[key];
  }
  return undefined;
}

function normalize(found: unknown): string | undefined {
  const value = Array.isArray(found) ? found[0] : found;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
