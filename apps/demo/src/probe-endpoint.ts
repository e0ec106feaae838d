import { request } from 'node:http';
import { request as requestTls } from 'node:https';

/** What a probe of the OTLP endpoint found. */
export type ProbeResult = { listening: true; status: number } | { listening: false; reason: string };

/**
 * Sends an empty OTLP/JSON export (`{}`, which a collector accepts and stores nothing from) to `url`
 * and waits at most `timeoutMs` for any answer. A refused connection, a DNS failure or silence means
 * nothing listens: the demo then exports nowhere instead of letting the exporter retry for seconds.
 */
export function probeEndpoint(url: string, timeoutMs = 1_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ listening: false, reason: 'not a URL' });
      return;
    }
    const send = target.protocol === 'https:' ? requestTls : request;
    const probe = send(
      target,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve({ listening: true, status: response.statusCode ?? 0 });
      },
    );
    probe.on('timeout', () => probe.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    probe.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ listening: false, reason: error.code ?? error.message });
    });
    probe.end('{}');
  });
}
