import type { ErrorKind, Outcome } from '../errors/error-kind';

/** What a network error code says about a failed request. */
export interface NetworkErrorInfo {
  readonly kind: ErrorKind;
  readonly outcome: Outcome;
}

// Frozen: every caller shares these objects, so one caller's mutation must not change the others' results.
const NOT_SENT_NETWORK: NetworkErrorInfo = Object.freeze({ kind: 'network', outcome: 'not-sent' });
const UNKNOWN_NETWORK: NetworkErrorInfo = Object.freeze({ kind: 'network', outcome: 'unknown' });
const NOT_SENT_TIMEOUT: NetworkErrorInfo = Object.freeze({ kind: 'timeout', outcome: 'not-sent' });
const UNKNOWN_TIMEOUT: NetworkErrorInfo = Object.freeze({ kind: 'timeout', outcome: 'unknown' });
const CANCELLED: NetworkErrorInfo = Object.freeze({ kind: 'cancelled', outcome: 'unknown' });

/**
 * Node, undici and axios error codes. A connection that was never made is `not-sent`; a reset, a broken
 * pipe or a timeout once connected may hide a request the provider applied, so it is `unknown`.
 */
const CODES: Readonly<Record<string, NetworkErrorInfo>> = {
  ECONNREFUSED: NOT_SENT_NETWORK,
  ENOTFOUND: NOT_SENT_NETWORK,
  EAI_AGAIN: NOT_SENT_NETWORK,
  EHOSTUNREACH: NOT_SENT_NETWORK,
  ENETUNREACH: NOT_SENT_NETWORK,
  EHOSTDOWN: NOT_SENT_NETWORK,
  ENETDOWN: NOT_SENT_NETWORK,
  EADDRNOTAVAIL: NOT_SENT_NETWORK,
  ECONNRESET: UNKNOWN_NETWORK,
  EPIPE: UNKNOWN_NETWORK,
  ECONNABORTED: UNKNOWN_TIMEOUT,
  ETIMEDOUT: UNKNOWN_TIMEOUT,
  ESOCKETTIMEDOUT: UNKNOWN_TIMEOUT,
  ERR_SOCKET_CONNECTION_TIMEOUT: NOT_SENT_TIMEOUT,
  UND_ERR_CONNECT_TIMEOUT: NOT_SENT_TIMEOUT,
  UND_ERR_HEADERS_TIMEOUT: UNKNOWN_TIMEOUT,
  UND_ERR_BODY_TIMEOUT: UNKNOWN_TIMEOUT,
  UND_ERR_SOCKET: UNKNOWN_NETWORK,
  UND_ERR_CLOSED: UNKNOWN_NETWORK,
  UND_ERR_DESTROYED: UNKNOWN_NETWORK,
  UND_ERR_RESPONSE_STATUS_CODE: UNKNOWN_NETWORK,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: UNKNOWN_NETWORK,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: UNKNOWN_NETWORK,
  UND_ERR_ABORTED: CANCELLED,
  ABORT_ERR: CANCELLED,
  ERR_CANCELED: CANCELLED,
  ERR_STREAM_PREMATURE_CLOSE: UNKNOWN_NETWORK,
  ERR_HTTP2_STREAM_ERROR: UNKNOWN_NETWORK,
};

/**
 * Maps a Node, undici or axios error code (`ECONNRESET`, `UND_ERR_SOCKET`, `ECONNABORTED`, ...) to a
 * kind and an outcome. Unknown codes give `undefined`. Any other `UND_ERR_*` code is an `unknown`
 * network failure.
 */
export function networkErrorInfo(code: unknown): NetworkErrorInfo | undefined {
  if (typeof code !== 'string') return undefined;
  const info = Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  if (info !== undefined) return info;
  return code.startsWith('UND_ERR_') ? UNKNOWN_NETWORK : undefined;
}

/**
 * Maps an error's `name` to a kind: `AbortError` is the caller's cancellation and `TimeoutError` (from
 * `AbortSignal.timeout`) a timeout. Other names give `undefined`.
 */
export function abortErrorInfo(name: unknown): NetworkErrorInfo | undefined {
  if (name === 'AbortError') return CANCELLED;
  if (name === 'TimeoutError') return UNKNOWN_TIMEOUT;
  return undefined;
}
