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

/** Errors already scrubbed: an error rethrown through several policies is walked once. */
const scrubbed = new WeakSet<object>();

/** How deep header objects are walked: far enough for `{ common: { Authorization } }` in axios configs. */
const MAX_HEADER_DEPTH = 4;

/** Matches every text that any of the patterns above could match: one pass rules most texts out. */
const MAY_HOLD_SECRET = /bearer|basic|token|[sr]k_|whsec_|SG\.|re_|\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Replaces credentials found in `text` with `[redacted]`. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
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
 * Node's `ClientRequest` with its raw header block and header table, follow-redirects' request options,
 * the response's copy of both), and the same in its cause chain, Stripe's `detail` and `raw`, and
 * `AggregateError.errors`. The error keeps its class, so `instanceof` checks on it still work.
 * Returns the same value. Never throws.
 */
export function scrubSecrets<T>(error: T): T {
  if (typeof error !== 'object' || error === null || scrubbed.has(error)) return error;
  try {
    scrubValue(error, 0, new WeakSet());
    scrubbed.add(error);
  } catch {
    // A hostile object (a revoked Proxy, say): keep what was scrubbed so far.
  }
  return error;
}

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || depth > 6 || seen.has(value)) return;
  seen.add(value);
  const record = value as Record<string, unknown>;
  // Not only `instanceof Error`: plain error objects (Resend's) and errors from another realm carry these too.
  rewrite(record, 'message');
  rewrite(record, 'stack');
  for (const key of ['config', 'request', 'response', 'options', 'requestOptions', 'headers'] as const) {
    const inner = safeGet(record, key);
    if (typeof inner !== 'object' || inner === null) continue;
    if (key === 'headers') scrubHeaders(inner, 0, seen);
    else scrubTransport(inner, depth, seen);
  }
  scrubValue(safeGet(record, 'cause'), depth + 1, seen);
  // Stripe keeps the underlying network error in `detail` and the parsed response in `raw`.
  scrubValue(safeGet(record, 'detail'), depth + 1, seen);
  scrubValue(safeGet(record, 'raw'), depth + 1, seen);
  const errors = safeGet(record, 'errors');
  if (Array.isArray(errors)) for (const inner of errors) scrubValue(inner, depth + 1, seen);
}

/** An HTTP client's request or response object, as axios and friends keep them on errors. */
function scrubTransport(target: object, depth: number, seen: WeakSet<object>): void {
  if (seen.has(target) || depth > 8) return;
  seen.add(target);
  const record = target as Record<string, unknown>;
  const headers = safeGet(record, 'headers');
  if (typeof headers === 'object' && headers !== null) scrubHeaders(headers, 0, seen);
  if (safeGet(record, 'auth') !== undefined) trySet(record, 'auth', REDACTED);
  // Node's ClientRequest keeps the raw header block, Authorization line included...
  const block = safeGet(record, '_header');
  if (typeof block === 'string') trySet(record, '_header', redactHeaderBlock(block));
  // ...the same block in its write queue while the socket is not connected yet...
  const outputData = safeGet(record, 'outputData');
  if (Array.isArray(outputData)) {
    for (const chunk of outputData) {
      if (typeof chunk !== 'object' || chunk === null) continue;
      const data = safeGet(chunk as Record<string, unknown>, 'data');
      if (typeof data === 'string') trySet(chunk as Record<string, unknown>, 'data', redactHeaderBlock(data));
    }
  }
  // ...and its header table under a symbol key (`Symbol(kOutHeaders)`), which `util.inspect` prints.
  for (const symbol of ownSymbols(record)) {
    if (!/headers/i.test(symbol.description ?? '')) continue;
    const table = safeGet(record, symbol as unknown as string);
    if (typeof table === 'object' && table !== null) scrubHeaders(table, 0, seen);
  }
  // An IncomingMessage's raw response headers: name, value, name, value...
  const rawHeaders = safeGet(record, 'rawHeaders');
  if (Array.isArray(rawHeaders)) trySet(record, 'rawHeaders', redactRawHeaderList(rawHeaders));
  // axios, Node's ClientRequest/IncomingMessage, follow-redirects' RedirectableRequest (which axios uses
  // in Node: `_options` holds the request headers, `_currentRequest` the ClientRequest).
  for (const key of [
    'config',
    'request',
    'req',
    'res',
    'response',
    '_options',
    '_currentRequest',
    'options',
  ]) {
    const inner = safeGet(record, key);
    if (typeof inner === 'object' && inner !== null) scrubTransport(inner, depth + 1, seen);
  }
  // The socket and the agent (whose pools hold the socket) stay in place, since Node's own handlers read
  // them, but are hidden from enumeration, so `util.inspect` and loggers do not walk into the socket's
  // write queue (the raw request, Authorization line included, while the connection is not up yet).
  hide(record, 'socket');
  hide(record, 'agent');
  for (const key of ['url', 'baseURL', 'path', 'href', '_currentUrl']) rewrite(record, key);
}

function scrubHeaders(headers: object, depth: number, seen: WeakSet<object>): void {
  if (depth > MAX_HEADER_DEPTH || seen.has(headers)) return;
  seen.add(headers);
  const record = headers as Record<string, unknown>;
  if (headers instanceof Map) {
    scrubHeaderMap(headers, depth, seen);
    return;
  }
  let keys: string[];
  try {
    keys = Object.keys(record);
  } catch {
    return;
  }
  for (const key of keys) {
    const value = safeGet(record, key);
    if (SECRET_HEADERS.has(key.toLowerCase())) trySet(record, key, redactHeaderValue(key, value));
    else if (typeof value === 'string') rewrite(record, key);
    else if (Array.isArray(value))
      trySet(
        record,
        key,
        value.map((item) => (typeof item === 'string' ? redactText(item) : item)),
      );
    else if (typeof value === 'object' && value !== null) scrubHeaders(value, depth + 1, seen);
  }
  // A fetch `Headers` keeps its entries in internal slots: set the secret ones through its API.
  const api = headers as { has?: unknown; set?: unknown };
  if (typeof api.has === 'function' && typeof api.set === 'function') {
    for (const name of SECRET_HEADERS) {
      try {
        if ((api.has as (name: string) => boolean).call(headers, name)) {
          (api.set as (name: string, value: string) => void).call(headers, name, REDACTED);
        }
      } catch {
        // An immutable Headers: nothing more can be done in place.
      }
    }
  }
}

function scrubHeaderMap(map: Map<unknown, unknown>, depth: number, seen: WeakSet<object>): void {
  let entries: [unknown, unknown][];
  try {
    entries = [...map.entries()];
  } catch {
    return;
  }
  for (const [key, value] of entries) {
    try {
      if (typeof key === 'string' && SECRET_HEADERS.has(key.toLowerCase()))
        map.set(key, redactHeaderValue(key, value));
      else if (typeof value === 'string') map.set(key, redactText(value));
      else if (typeof value === 'object' && value !== null) scrubHeaders(value, depth + 1, seen);
    } catch {
      // A read-only map: nothing more can be done in place.
    }
  }
}

/**
 * The redacted form of a secret header's value. Node's header table keeps `[originalName, value]`
 * pairs; the name is kept so the table still reads as headers.
 */
function redactHeaderValue(name: string, value: unknown): unknown {
  if (!Array.isArray(value)) return REDACTED;
  return value.map((item) =>
    typeof item === 'string' && item.toLowerCase() === name.toLowerCase() ? item : REDACTED,
  );
}

function redactRawHeaderList(list: unknown[]): unknown[] {
  return list.map((item, index) => {
    if (typeof item !== 'string') return item;
    const previous = list[index - 1];
    if (index % 2 === 1 && typeof previous === 'string' && SECRET_HEADERS.has(previous.toLowerCase()))
      return REDACTED;
    return redactText(item);
  });
}

function redactHeaderBlock(block: string): string {
  return block
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      if (colon > 0 && SECRET_HEADERS.has(line.slice(0, colon).trim().toLowerCase())) {
        return `${line.slice(0, colon)}: ${REDACTED}`;
      }
      return redactText(line);
    })
    .join('\r\n');
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

function ownSymbols(record: object): symbol[] {
  try {
    return Object.getOwnPropertySymbols(record);
  } catch {
    return [];
  }
}

function trySet(record: Record<string, unknown>, key: string, value: unknown): void {
  try {
    record[key] = value;
    if (record[key] === value) return;
  } catch {
    // A getter without a setter (DOMException's `message`) or a frozen object: try an own property.
  }
  try {
    Object.defineProperty(record, key, { value, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen object: nothing more can be done in place.
  }
}

function hide(record: Record<string, unknown>, key: string): void {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(record, key);
    if (descriptor?.enumerable && descriptor.configurable) {
      Object.defineProperty(record, key, { ...descriptor, enumerable: false });
    }
  } catch {
    // Nothing more can be done in place.
  }
}
