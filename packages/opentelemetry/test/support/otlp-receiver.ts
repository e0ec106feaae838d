import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the receiver got. */
export interface OtlpRequest {
  readonly path: string;
  readonly contentType: string;
  /** The body, gunzipped when it was sent gzip-encoded. */
  readonly body: Buffer;
}

/** An OTLP/HTTP receiver on 127.0.0.1, as Jaeger v2 runs on port 4318, for one test. */
export interface OtlpReceiver {
  /** The base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it; traces go to `${endpoint}/v1/traces`. */
  readonly endpoint: string;
  readonly requests: OtlpRequest[];
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1 that accepts OTLP/HTTP in JSON and in protobuf. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpRequest[] = [];
  const server = createServer((request, response) => {
    void receive(request, response, requests);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function receive(request: IncomingMessage, response: ServerResponse, requests: OtlpRequest[]) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  const contentType = request.headers['content-type'] ?? '';
  requests.push({ path: request.url ?? '', contentType, body });
  // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf.
  const json = contentType.startsWith('application/json');
  response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
  response.end(json ? '{}' : undefined);
}
