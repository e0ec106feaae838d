import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An attribute as OTLP/JSON carries it. */
interface OtlpAttribute {
  readonly key: string;
  readonly value: {
    stringValue?: string;
    intValue?: number | string;
    boolValue?: boolean;
    doubleValue?: number;
  };
}

/** One span as received, with its resource's and scope's names alongside. */
export interface ReceivedSpan {
  readonly serviceName: string | undefined;
  readonly scope: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly events: readonly {
    name: string;
    attributes: Readonly<Record<string, string | number | boolean>>;
  }[];
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the OTLP endpoint (traces go to `/v1/traces`). */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Export requests received, with their content types. */
  readonly contentTypes: string[];
  clear(): void;
  close(): Promise<void>;
}

function flatten(
  attributes: readonly OtlpAttribute[] | undefined,
): Record<string, string | number | boolean> {
  const flat: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    const raw = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
    if (raw !== undefined)
      flat[key] = typeof raw === 'string' && value.intValue !== undefined ? Number(raw) : raw;
  }
  return flat;
}

/** A local OTLP/HTTP receiver on 127.0.0.1 that decodes JSON exports (what the demo's exporter sends). */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      contentTypes.push(String(request.headers['content-type']));
      if (request.url === '/v1/traces' && request.headers['content-type']?.includes('json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        for (const resourceSpans of body.resourceSpans ?? []) {
          const resource = flatten(resourceSpans.resource?.attributes);
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              spans.push({
                serviceName: resource['service.name'] as string | undefined,
                scope: scopeSpans.scope?.name,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                name: span.name,
                kind: span.kind,
                attributes: flatten(span.attributes),
                events: (span.events ?? []).map((event: { name: string; attributes?: OtlpAttribute[] }) => ({
                  name: event.name,
                  attributes: flatten(event.attributes),
                })),
                statusCode: span.status?.code ?? 0,
              });
            }
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    clear() {
      spans.length = 0;
      contentTypes.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
