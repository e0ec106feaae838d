import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as a fake sees it: the body read in full. */
export interface FakeRequest {
  readonly method: string;
  /** The path without the query string, such as `/emails`. */
  readonly path: string;
  /** The query string without its leading `?`, such as `limit=3&email=ada%40example.com`; `''` when there is none. */
  readonly query: string;
  /** The request headers, names in lower case. */
  readonly headers: IncomingHttpHeaders;
  /** The raw body. */
  readonly body: string;
}

/** An HTTP answer. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What a fake does with a request: answer it, destroy the connection, or never answer. */
export type FakeReply =
  | { readonly type: 'respond'; readonly response: FakeResponse }
  | { readonly type: 'destroy' }
  | { readonly type: 'hang' };

/**
 * Handles one request. `signal` aborts when the fake closes: a handler that waits (a latency fault)
 * stops waiting then.
 */
export type FakeHandler = (request: FakeRequest, signal: AbortSignal) => Promise<FakeReply>;

/** A running fake HTTP server on 127.0.0.1. */
export interface FakeServer {
  /** The base URL, such as `http://127.0.0.1:49152` (no trailing slash). */
  readonly url: string;
  /** The port the system picked. */
  readonly port: number;
  /** Stops the server: hung requests and open connections are destroyed. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 on a free port chosen by the system, with the lifecycle every
 * fake needs: it tracks its connections so that `close` ends even with requests that hang, and it
 * aborts the handlers' waits on close. A handler that throws answers 500 with the error's message.
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const server = createServer((incoming, outgoing) => {
    readBody(incoming)
      .then((body) => {
        const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
        return handler(
          {
            method: incoming.method ?? 'GET',
            path: url.pathname,
            query: url.search.slice(1),
            headers: incoming.headers,
            body,
          },
          closing.signal,
        );
      })
      .then((reply) => {
        if (closing.signal.aborted) {
          incoming.socket.destroy();
          return;
        }
        if (reply.type === 'hang') return;
        if (reply.type === 'destroy') {
          incoming.socket.destroy();
          return;
        }
        const { status, headers = {}, body = '' } = reply.response;
        outgoing.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
        outgoing.end(body);
      })
      .catch((error: unknown) => {
        if (outgoing.headersSent || incoming.socket.destroyed) return;
        const message = error instanceof Error ? error.message : String(error);
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(`fake server error: ${message}`);
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}
