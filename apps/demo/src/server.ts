import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { ResilientError } from '@resilient/core';
import type { HealthReport } from './health';
import type { SignupRequest, SignupResult } from './signup-flow';

export interface SignupServerOptions {
  readonly signup: (request: SignupRequest) => Promise<SignupResult>;
  readonly health: () => HealthReport;
  readonly tracer: Tracer;
  /** Default: 0, a free port. */
  readonly port?: number;
  /** Default: 127.0.0.1. */
  readonly host?: string;
}

export interface SignupServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A JSON answer. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_BODY_BYTES = 16_384;

/**
 * The signup service: `POST /signup {email, name}` answers 201 with the customer, the welcome email's
 * fate and the trace id; 400 for a bad request; 503 (with `Retry-After`) or 502 when Stripe could not
 * create the customer. `GET /health` reports each provider's breaker. Each request is a SERVER span;
 * the SDK's operation and attempt spans nest under it.
 */
export async function startSignupServer(options: SignupServerOptions): Promise<SignupServer> {
  const server = createServer((incoming, outgoing) => {
    void route(incoming, options).then(
      (reply) => send(outgoing, reply),
      () => send(outgoing, { status: 500, body: { error: 'internal error' } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(incoming: IncomingMessage, options: SignupServerOptions): Promise<Reply> {
  const path = new URL(incoming.url ?? '/', 'http://localhost').pathname;
  if (path === '/health' && incoming.method === 'GET') {
    incoming.resume();
    const health = options.health();
    return { status: health.status === 'unavailable' ? 503 : 200, body: health };
  }
  if (path === '/signup' && incoming.method === 'POST') {
    const body = await readBody(incoming);
    return options.tracer.startActiveSpan(
      'POST /signup',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'POST', 'http.route': '/signup', 'url.path': path },
      },
      (span) => handleSignup(body, span, options).finally(() => span.end()),
    );
  }
  incoming.resume();
  return {
    status: 404,
    body: { error: `no route ${incoming.method} ${path}; try POST /signup or GET /health` },
  };
}

async function handleSignup(
  body: string | undefined,
  span: Span,
  options: SignupServerOptions,
): Promise<Reply> {
  const traceId = span.spanContext().traceId;
  const reply = (status: number, payload: object, headers?: Record<string, string>): Reply => {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return { status, body: { ...payload, traceId }, ...(headers === undefined ? {} : { headers }) };
  };
  const request = parseSignup(body);
  if (typeof request === 'string') return reply(400, { error: request });
  try {
    const result = await options.signup(request);
    span.setAttributes({
      'demo.signup.id': result.signupId,
      'demo.welcome.status': result.welcome.status,
      'demo.welcome.failures': result.welcome.failures.length,
      ...(result.welcome.status === 'sent' ? { 'demo.welcome.provider': result.welcome.provider } : {}),
    });
    return reply(result.replayed ? 200 : 201, result);
  } catch (error) {
    if (!ResilientError.isInstance(error)) throw error;
    span.setAttribute('error.type', error.kind);
    const retryAfterSeconds = Math.ceil((error.retryAfterMs ?? 0) / 1_000);
    const payload = {
      // A lost answer may hide a created customer: the same signup again gets it back, not a second one.
      error:
        error.outcome === 'unknown'
          ? `the customer may have been created (${error.kind}): send the signup again, it gets the same customer`
          : `customer not created (${error.kind})`,
      kind: error.kind,
      service: error.service,
    };
    return error.retryable || error.kind === 'circuit-open'
      ? reply(503, payload, retryAfterSeconds > 0 ? { 'retry-after': String(retryAfterSeconds) } : undefined)
      : reply(502, payload);
  }
}

/** The request, or what is wrong with it. */
function parseSignup(body: string | undefined): SignupRequest | string {
  if (body === undefined) return `the body must be JSON of at most ${MAX_BODY_BYTES} bytes`;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body must be JSON: {"email": "...", "name": "..."}';
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { name } = fields;
  const email = typeof fields.email === 'string' ? fields.email.trim() : undefined;
  if (email === undefined || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    return 'email must be an email address';
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100 || /[\r\n]/.test(name))
    return 'name must be a non-empty string of at most 100 characters, on one line';
  return { email, name: name.trim() };
}

async function readBody(incoming: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit, so the answer can still go out on the same connection.
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(outgoing: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  outgoing.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  outgoing.end(body);
}
