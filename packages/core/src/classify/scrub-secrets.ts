const REDACTED = '[redacted]';

/** Credentials as they appear in text: bearer tokens, basic auth in URLs, and provider key formats. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{6,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{6,}/g,
  /\bSG\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g,
  /\bre_[A-Za-z0-9_]{8,}/g,
  /(\/\/)[^/\s:@]+:[^/\s@]+@/g,
];

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'x-auth-token',
]);

/** Replaces credentials found in `text` with `[redacted]`. */
export function redactText(text: string): string {
  let result = text;
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (match, prefix: string | undefined) => {
      if (match.startsWith('//')) return `//${REDACTED}@`;
      if (prefix !== undefined && /^(bearer|basic|token)$/i.test(prefix)) return `${prefix} ${REDACTED}`;
      return REDACTED;
    });
  }
  return result;
}

/**
 * Scrubs credentials from an error in place, so it can be kept as a `cause`, logged or serialized:
 * its message and stack, the request headers and auth that HTTP clients keep on errors (axios `config`,
 * the raw request header block, the response's copy of both), and the same in its cause chain and in
 * `AggregateError.errors`. The error keeps its class, so `instanceof` checks on it still work.
 * Returns the same value.
 */
export function scrubSecrets<T>(error: T): T {
  scrubValue(error, 0, new WeakSet());
  return error;
}

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || depth > 6 || seen.has(value)) return;
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (value instanceof Error) {
    rewrite(record, 'message');
    rewrite(record, 'stack');
  }
  for (const key of ['config', 'request', 'response', 'options', 'requestOptions', 'headers'] as const) {
    const inner = safeGet(record, key);
    if (typeof inner !== 'object' || inner === null) continue;
    if (key === 'headers') scrubHeaders(inner);
    else scrubTransport(inner, depth, seen);
  }
  scrubValue(safeGet(record, 'cause'), depth + 1, seen);
  scrubValue(safeGet(record, 'detail'), depth + 1, seen);
  const errors = safeGet(record, 'errors');
  if (Array.isArray(errors)) for (const inner of errors) scrubValue(inner, depth + 1, seen);
}

/** An HTTP client's request or response object, as axios and friends keep them on errors. */
function scrubTransport(target: object, depth: number, seen: WeakSet<object>): void {
  if (seen.has(target)) return;
  seen.add(target);
  const record = target as Record<string, unknown>;
  const headers = safeGet(record, 'headers');
  if (typeof headers === 'object' && headers !== null) scrubHeaders(headers);
  if (safeGet(record, 'auth') !== undefined) trySet(record, 'auth', REDACTED);
  // Node's ClientRequest keeps the raw header block, Authorization line included.
  if (typeof safeGet(record, '_header') === 'string') rewriteHeaderBlock(record);
  for (const key of ['config', 'request', 'res', 'socket']) {
    const inner = safeGet(record, key);
    if (key === 'socket') {
      if (inner !== undefined) trySet(record, key, undefined);
      continue;
    }
    if (typeof inner === 'object' && inner !== null) scrubTransport(inner, depth + 1, seen);
  }
  for (const key of ['url', 'baseURL', 'path', 'href']) rewrite(record, key);
}

function scrubHeaders(headers: object): void {
  const record = headers as Record<string, unknown>;
  let keys: string[];
  try {
    keys = Object.keys(record);
  } catch {
    return;
  }
  for (const key of keys) {
    const value = safeGet(record, key);
    if (SECRET_HEADERS.has(key.toLowerCase())) trySet(record, key, REDACTED);
    else if (typeof value === 'string') trySet(record, key, redactText(value));
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) scrubHeaders(value);
  }
}

function rewriteHeaderBlock(record: Record<string, unknown>): void {
  const block = record._header as string;
  const scrubbed = block
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      if (colon > 0 && SECRET_HEADERS.has(line.slice(0, colon).trim().toLowerCase())) {
        return `${line.slice(0, colon)}: ${REDACTED}`;
      }
      return redactText(line);
    })
    .join('\r\n');
  trySet(record, '_header', scrubbed);
}

function rewrite(record: Record<string, unknown>, key: string): void {
  const value = safeGet(record, key);
  if (typeof value === 'string') {
    const redacted = redactText(value);
    if (redacted !== value) trySet(record, key, redacted);
  }
}

function safeGet(record: Record<string, unknown>, key: string): unknown {
  try {
    return record[key];
  } catch {
    return undefined;
  }
}

function trySet(record: Record<string, unknown>, key: string, value: unknown): void {
  try {
    record[key] = value;
  } catch {
    // A frozen object or a getter without a setter: nothing more can be done in place.
  }
}
