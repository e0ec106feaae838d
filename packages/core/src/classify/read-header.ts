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
  const lower = name.toLowerCase();
  let value: unknown;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    try {
      value = (headers as { get(name: string): unknown }).get(lower);
    } catch {
      value = undefined;
    }
  }
  if (value === undefined || value === null) {
    const record = headers as Record<string, unknown>;
    value = record[lower] ?? record[name];
    if (value === undefined) {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === lower) {
          value = record[key];
          break;
        }
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
