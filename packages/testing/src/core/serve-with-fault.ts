import type { FakeReply, FakeResponse } from './fake-server';
import { type Fault, MALFORMED_BODY, type StatusFault } from './fault';
import { sleep } from './sleep';

/** What {@link serveWithFault} needs from a fake. */
export interface ServeWithFaultOptions {
  /** The fault drawn for this request, if any. */
  readonly fault: Fault | undefined;
  /** Renders a status fault as the provider's own error answer. */
  renderStatus(fault: StatusFault): FakeResponse;
  /**
   * Processes the request as the provider would. It calls `latency()` at the point where the provider
   * does its work (after authentication and the rate limit, while an idempotency key is in flight).
   */
  process(latency: () => Promise<void>): Promise<FakeResponse>;
  /** Aborts when the fake closes. */
  readonly signal: AbortSignal;
}

/**
 * Applies one request's fault around the provider's processing: a status, a hang or a reset replace
 * the processing (nothing is applied); a latency delays it; a malformed body or a lost response
 * follow it (the request is applied, the client cannot read the answer).
 */
export async function serveWithFault(options: ServeWithFaultOptions): Promise<FakeReply> {
  const { fault, signal } = options;
  switch (fault?.type) {
    case 'status':
      return { type: 'respond', response: options.renderStatus(fault) };
    case 'hang':
      return { type: 'hang' };
    case 'reset':
      return { type: 'destroy' };
  }
  const latency = async (): Promise<void> => {
    if (fault?.type === 'latency') await sleep(fault.ms, signal);
  };
  const response = await options.process(latency);
  if (fault?.type === 'applied-response-lost') return { type: 'destroy' };
  if (fault?.type === 'malformed-body') {
    return {
      type: 'respond',
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: MALFORMED_BODY },
    };
  }
  return { type: 'respond', response };
}

/** A JSON answer. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}
