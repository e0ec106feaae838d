import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConformanceRequest, EmailFault } from '@resilient/email/testing';

/** A message the fake accepted: Postmark's request body, as sent. */
export interface FakePostmarkDelivery {
  readonly messageId: string;
  readonly body: Record<string, unknown>;
}

/** A fake of Postmark's `POST /email` on 127.0.0.1, with faults on demand. */
export interface FakePostmarkServer {
  /** The base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every message accepted, in order. */
  readonly deliveries: readonly FakePostmarkDelivery[];
  /** Every request that reached the server, in order. */
  readonly requests: readonly ConformanceRequest[];
  /**
   * A `fetch` for the provider: the global one, except that a request after `failNext('network-refused')`
   * goes to a port nothing listens on, so the connection is really refused.
   */
  readonly fetch: typeof globalThis.fetch;
  /** Makes the next request fail in the named way. */
  failNext(fault: EmailFault): void;
  /** Makes the next request get this answer instead: any status, Postmark error code and message. */
  answerNext(answer: { readonly status: number; readonly errorCode: number; readonly message: string }): void;
  /** Closes the server and every open connection (a hung one included). */
  close(): Promise<void>;
}

/** Starts the fake on a random free port; `token` is the only server token it accepts. */
export async function startFakePostmark(options: { readonly token: string }): Promise<FakePostmarkServer> {
  const deliveries: FakePostmarkDelivery[] = [];
  const requests: ConformanceRequest[] = [];
  const faults: EmailFault[] = [];
  const answers: { status: number; errorCode: number; message: string }[] = [];
  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const fault = faults.shift();
    const idempotencyKey = request.headers['idempotency-key'];
    requests.push({ idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined });
    if (request.method !== 'POST' || request.url !== '/email') return reply(response, 404, 404, 'Not found');
    const answer = answers.shift();
    if (answer !== undefined) return reply(response, answer.status, answer.errorCode, answer.message);
    if (fault?.type === 'hang') return; // read, never answered
    if (fault?.type === 'network-reset') return void request.socket.destroy();
    if (request.headers['x-postmark-server-token'] !== options.token || fault?.type === 'auth')
      return reply(response, 401, 10, 'Request does not contain a valid Server token.');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return reply(response, 422, 402, 'Invalid JSON');
    }
    if (!body.From || !body.To || !body.Subject || !(body.HtmlBody || body.TextBody))
      return reply(response, 422, 300, 'Invalid email request: From, To, Subject and a body are required.');
    switch (fault?.type) {
      case 'rate-limit':
        response.setHeader('retry-after', String(fault.retryAfterSeconds));
        return reply(response, 429, 429, 'Rate limit exceeded.');
      case 'quota-exceeded':
        return reply(response, 422, 405, 'Not allowed to send: your account has run out of credits.');
      case 'invalid-request':
        return reply(
          response,
          422,
          406,
          'You tried to send to recipient(s) that have been marked as inactive.',
        );
      case 'server':
        return reply(response, 500, 0, 'Internal server error.');
      case 'unavailable':
        return reply(response, 503, 100, 'Maintenance.');
    }
    const messageId = randomUUID();
    deliveries.push({ messageId, body });
    if (fault?.type === 'applied-response-lost') return void request.socket.destroy();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        To: body.To,
        SubmittedAt: new Date().toISOString(),
        MessageID: messageId,
        ErrorCode: 0,
        Message: 'OK',
      }),
    );
  }

  const port = await listen(server);
  const deadPort = await freePort();
  const fetchThroughFake: typeof globalThis.fetch = (input, init) => {
    if (faults[0]?.type !== 'network-refused') return globalThis.fetch(input, init);
    faults.shift();
    const url = new URL(input instanceof Request ? input.url : String(input));
    url.port = String(deadPort);
    return globalThis.fetch(url, init);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    requests,
    fetch: fetchThroughFake,
    failNext: (fault) => {
      faults.push(fault);
    },
    answerNext: (answer) => {
      answers.push(answer);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function reply(response: ServerResponse, status: number, errorCode: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ErrorCode: errorCode, Message: message }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port that was free a moment ago and that nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
