import type { FakeRequest } from './fake-server';
import type { Fault } from './fault';

/** A request a fake received, kept for inspection. The `authorization` header's value is never kept. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The request headers (lower-case names), with `authorization` replaced by `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, parsed when it is JSON, else the raw text. */
  readonly body: unknown;
  /** The `idempotency-key` header, when sent. */
  readonly idempotencyKey: string | undefined;
  /** The fault applied to it, if any. */
  readonly fault: Fault | undefined;
}

/** Records a request without its credentials. */
export function recordRequest(request: FakeRequest, fault: Fault | undefined): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method,
    path: request.path,
    headers,
    body: parseJson(request.body),
    idempotencyKey: headers['idempotency-key'],
    fault,
  };
}

/** Parses JSON, or gives back the text when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The bearer token of a request, or `undefined` when there is none. */
export function bearerToken(request: FakeRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
