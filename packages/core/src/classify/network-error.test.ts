import { describe, expect, it } from 'vitest';
import { abortErrorInfo, networkErrorInfo } from './network-error';

describe('networkErrorInfo', () => {
  it.each([
    // The connection was never made: nothing reached the provider.
    ['ECONNREFUSED', 'network', 'not-sent'],
    ['ENOTFOUND', 'network', 'not-sent'],
    ['EAI_AGAIN', 'network', 'not-sent'],
    ['EHOSTUNREACH', 'network', 'not-sent'],
    ['ENETUNREACH', 'network', 'not-sent'],
    ['EHOSTDOWN', 'network', 'not-sent'],
    ['ENETDOWN', 'network', 'not-sent'],
    ['EADDRNOTAVAIL', 'network', 'not-sent'],
    ['ERR_SOCKET_CONNECTION_TIMEOUT', 'timeout', 'not-sent'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', 'not-sent'],
    // Connected: the provider may have applied the request.
    ['ECONNRESET', 'network', 'unknown'],
    ['EPIPE', 'network', 'unknown'],
    ['ECONNABORTED', 'timeout', 'unknown'],
    ['ETIMEDOUT', 'timeout', 'unknown'],
    ['ESOCKETTIMEDOUT', 'timeout', 'unknown'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', 'unknown'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', 'unknown'],
    ['UND_ERR_SOCKET', 'network', 'unknown'],
    ['UND_ERR_CLOSED', 'network', 'unknown'],
    ['UND_ERR_DESTROYED', 'network', 'unknown'],
    ['UND_ERR_RESPONSE_STATUS_CODE', 'network', 'unknown'],
    ['UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'network', 'unknown'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'network', 'unknown'],
    ['ERR_STREAM_PREMATURE_CLOSE', 'network', 'unknown'],
    ['ERR_HTTP2_STREAM_ERROR', 'network', 'unknown'],
    // The caller aborted.
    ['UND_ERR_ABORTED', 'cancelled', 'unknown'],
    ['ABORT_ERR', 'cancelled', 'unknown'],
    ['ERR_CANCELED', 'cancelled', 'unknown'],
  ])('maps %s to kind %s, outcome %s', (code, kind, outcome) => {
    expect(networkErrorInfo(code)).toEqual({ kind, outcome });
  });

  it.each(['UND_ERR_SOMETHING_NEW', 'UND_ERR_INFO', 'UND_ERR_'])(
    'treats %s, an undici code it does not list, as a network failure with an unknown outcome',
    (code) => {
      expect(networkErrorInfo(code)).toEqual({ kind: 'network', outcome: 'unknown' });
    },
  );

  it.each([
    'ENOENT',
    'EACCES',
    'ERR_BAD_REQUEST',
    'ERR_BAD_RESPONSE',
    'econnreset',
    'und_err_socket',
    ' ECONNRESET',
    '',
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
    'card_declined',
  ])('gives undefined for %j, which is no network code', (code) => {
    expect(networkErrorInfo(code)).toBeUndefined();
  });

  it.each([[429], [-111], [null], [undefined], [{}], [['ECONNRESET']], [Symbol('ECONNRESET')]])(
    'gives undefined for the non-string %s',
    (code) => {
      expect(networkErrorInfo(code)).toBeUndefined();
    },
  );

  it('hands out frozen results, so one caller cannot change what the next one gets', () => {
    const info = networkErrorInfo('ECONNRESET')!;
    expect(Object.isFrozen(info)).toBe(true);
    expect(() => {
      (info as { kind: string }).kind = 'unknown';
    }).toThrow(TypeError);
    expect(networkErrorInfo('ECONNRESET')).toEqual({ kind: 'network', outcome: 'unknown' });
  });
});

describe('abortErrorInfo', () => {
  it('maps the name AbortError to a cancellation', () => {
    expect(abortErrorInfo('AbortError')).toEqual({ kind: 'cancelled', outcome: 'unknown' });
  });

  it('maps the name TimeoutError (AbortSignal.timeout) to a timeout with an unknown outcome', () => {
    expect(abortErrorInfo('TimeoutError')).toEqual({ kind: 'timeout', outcome: 'unknown' });
  });

  it('reads the names of real DOMExceptions the platform throws', async () => {
    const aborted = AbortSignal.abort();
    expect(abortErrorInfo((aborted.reason as DOMException).name)?.kind).toBe('cancelled');
    const timedOut = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(abortErrorInfo((timedOut.reason as DOMException).name)?.kind).toBe('timeout');
  });

  it.each([
    'abortError',
    'ABORTERROR',
    'Error',
    'TypeError',
    'CancelledError',
    '',
    20,
    23,
    null,
    undefined,
    {},
  ])('gives undefined for %j', (name) => {
    expect(abortErrorInfo(name)).toBeUndefined();
  });
});
