import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import util from 'node:util';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../errors/cancelled-error';
import { classifyError } from './classify-error';
import { redactText, scrubSecrets } from './scrub-secrets';

interface Canary {
  /** The secret as it appears in free text. */
  readonly text: string;
  /** The value of an Authorization header carrying it. */
  readonly authorization: string;
  /** Substrings that must never show up. */
  readonly needles: readonly string[];
}

const CANARIES: Record<string, Canary> = {
  'a Stripe live key': {
    text: 'sk_live_CANARY1234567890',
    authorization: 'Bearer sk_live_CANARY1234567890',
    needles: ['CANARY1234567890'],
  },
  'a SendGrid key': {
    text: 'SG.canaryAAAAAAAA.canaryBBBBBBBB',
    authorization: 'Bearer SG.canaryAAAAAAAA.canaryBBBBBBBB',
    needles: ['canaryAAAAAAAA', 'canaryBBBBBBBB'],
  },
  'a Resend key': {
    text: 're_CANARYresend99',
    authorization: 'Bearer re_CANARYresend99',
    needles: ['CANARYresend99'],
  },
  'a bearer token with underscores': {
    text: 'Bearer tok_CANARYbearer_42.xyz',
    authorization: 'Bearer tok_CANARYbearer_42.xyz',
    needles: ['CANARYbearer'],
  },
};

/** Every way the classified error can be printed or logged. */
function renderings(error: unknown): Record<string, string> {
  return {
    String: String(error),
    'JSON.stringify': JSON.stringify(error),
    'util.inspect': util.inspect(error, { depth: Number.POSITIVE_INFINITY }),
  };
}

function expectNoCanary(error: unknown, canary: Canary): void {
  for (const [how, text] of Object.entries(renderings(error))) {
    for (const needle of canary.needles) {
      expect(text.includes(needle), `${how} leaks ${needle}:\n${text}`).toBe(false);
    }
  }
}

const PLACEMENTS: Record<string, (canary: Canary) => unknown> = {
  'the message': (canary) => new Error(`request failed using ${canary.text}`),
  'the stack only': (canary) => {
    const error = new Error('request failed');
    error.stack = `Error: request failed\n    at send (/app/send.js:1:1) key=${canary.text}`;
    return error;
  },
  'axios config headers': (canary) =>
    Object.assign(new Error('socket hang up'), {
      name: 'AxiosError',
      code: 'ECONNRESET',
      isAxiosError: true,
      config: {
        method: 'post',
        url: '/v3/mail/send',
        headers: {
          Accept: 'application/json',
          Authorization: canary.authorization,
          'X-Api-Key': canary.text,
          common: { Authorization: canary.authorization },
        },
        auth: { username: 'api', password: canary.text },
        data: '{"personalizations":[]}',
      },
    }),
  'the raw request header block': (canary) =>
    Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      isAxiosError: true,
      request: {
        _header: `POST /v3/mail/send HTTP/1.1\r\nAuthorization: ${canary.authorization}\r\nX-Debug: ${canary.text}\r\nHost: api.sendgrid.com\r\n\r\n`,
      },
    }),
  'a nested cause': (canary) =>
    new Error('outer', {
      cause: new Error('middle', {
        cause: Object.assign(new Error(`inner ${canary.text}`), {
          config: { headers: { authorization: canary.authorization } },
        }),
      }),
    }),
  "Stripe's detail and raw": (canary) =>
    Object.assign(new Error('An error occurred with our connection to Stripe.'), {
      type: 'StripeConnectionError',
      raw: {
        message: `connection failed for ${canary.text}`,
        headers: { authorization: canary.authorization },
      },
      detail: Object.assign(new Error(`write EPIPE ${canary.text}`), { code: 'EPIPE' }),
    }),
  'an AggregateError member': (canary) =>
    new TypeError('fetch failed', {
      cause: new AggregateError(
        [Object.assign(new Error(`connect ${canary.text}`), { code: 'ECONNREFUSED' })],
        'x',
      ),
    }),
  "a plain error object's message (Resend)": (canary) => ({
    name: 'validation_error',
    statusCode: 422,
    message: `API key ${canary.text} is not allowed`,
  }),
  'the response headers of an HTTP error': (canary) => ({
    statusCode: 429,
    message: 'Too many requests',
    headers: { 'retry-after': '1', 'x-echo': canary.text, 'set-cookie': [`session=${canary.text}`] },
  }),
  'a thrown string': (canary) => `request failed using ${canary.text}`,
  "a DOMException's message": (canary) => new DOMException(`aborted: ${canary.text}`, 'AbortError'),
};

describe('classifyError keeps secrets out of everything it returns', () => {
  const cases = Object.entries(PLACEMENTS).flatMap(([where, place]) =>
    Object.entries(CANARIES).map(([what, canary]) => [what, where, place, canary] as const),
  );

  it.each(cases)(
    '%s in %s shows up in no String, JSON or util.inspect rendering',
    (_what, _where, place, canary) => {
      const error = classifyError(place(canary), { service: 'test' });
      expectNoCanary(error, canary);
    },
  );

  it('keeps the scrubbed original as the cause, with its class and its non-secret fields', () => {
    const original = PLACEMENTS['axios config headers']!(CANARIES['a SendGrid key']!) as Error &
      Record<string, never>;
    const error = classifyError(original);
    expect(error.cause).toBe(original);
    expect(error.cause).toBeInstanceOf(Error);
    expect(original).toMatchObject({
      code: 'ECONNRESET',
      isAxiosError: true,
      config: {
        method: 'post',
        url: '/v3/mail/send',
        headers: { Accept: 'application/json', Authorization: '[redacted]', 'X-Api-Key': '[redacted]' },
        auth: '[redacted]',
      },
    });
  });

  it('redacts the message of a DOMException, whose message is a read-only getter', () => {
    const original = new DOMException('aborted: Bearer abcdefghijkl', 'AbortError');
    const error = classifyError(original);
    expect(error).toBeInstanceOf(CancelledError);
    expect(original.message).toBe('aborted: Bearer [redacted]');
    expect(error.message).toBe('Cancelled by the caller: aborted: Bearer [redacted]');
  });
});

/** A server that accepts a connection and then does what `mode` says. */
async function listen(
  onConnection: (socket: net.Socket) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

async function closedPort(): Promise<number> {
  const server = await listen(() => undefined);
  await server.close();
  return server.port;
}

/** What axios (through @sendgrid/client) rejects with when a request fails before a response arrives. */
async function failedNodeRequest(
  port: number,
  canary: Canary,
): Promise<{ error: Error & Record<string, unknown>; request: http.ClientRequest }> {
  const headers = {
    Authorization: canary.authorization,
    Cookie: `sid=${canary.text}`,
    'Content-Type': 'application/json',
  };
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v3/mail/send', headers });
  const failure = once(request, 'error');
  request.end('{"personalizations":[]}');
  const [error] = (await failure) as [Error & Record<string, unknown>];
  Object.assign(error, {
    name: 'AxiosError',
    isAxiosError: true,
    config: { method: 'post', url: '/v3/mail/send', headers: { ...headers } },
    request,
  });
  return { error, request };
}

describe('classifyError on real Node transports', () => {
  const canary = CANARIES['a SendGrid key']!;

  it('keeps the key out of a real ClientRequest that could not connect (ECONNREFUSED)', async () => {
    const { error, request } = await failedNodeRequest(await closedPort(), canary);
    const closed = once(request, 'close');
    const classified = classifyError(error, { service: 'sendgrid' });
    expect(classified).toMatchObject({ kind: 'network', outcome: 'not-sent' });
    expectNoCanary(classified, canary);
    await closed;
  });

  it.each([
    [
      'after reading the request',
      (socket: net.Socket) => socket.once('data', () => socket.resetAndDestroy()),
    ],
    ['at once', (socket: net.Socket) => socket.destroy()],
  ])(
    'keeps the key out of a real ClientRequest whose connection was reset %s',
    async (_when, onConnection) => {
      const server = await listen(onConnection);
      try {
        const { error, request } = await failedNodeRequest(server.port, canary);
        const closed = once(request, 'close');
        const classified = classifyError(error, { service: 'sendgrid' });
        expect(classified).toMatchObject({ kind: 'network', outcome: 'unknown' });
        expectNoCanary(classified, canary);
        // Scrubbing must leave the request usable by Node: its own close handlers still run without throwing.
        await closed;
        expect(request.socket).toBeDefined();
      } finally {
        await server.close();
      }
    },
  );

  it('keeps the key out of follow-redirects, which axios wraps the ClientRequest in', async () => {
    const { error, request } = await failedNodeRequest(await closedPort(), canary);
    error.request = {
      _options: {
        method: 'POST',
        path: '/v3/mail/send',
        headers: { Authorization: canary.authorization },
        auth: `api:${canary.text}`,
      },
      _currentRequest: request,
      _currentUrl: `https://api:${canary.text}@api.sendgrid.com/v3/mail/send`,
      _redirectCount: 0,
    };
    expectNoCanary(classifyError(error), canary);
  });

  it('keeps the key out of a real fetch whose connection was reset (UND_ERR_SOCKET)', async () => {
    const server = await listen((socket) => socket.once('data', () => socket.destroy()));
    try {
      const original = await fetch(`http://127.0.0.1:${server.port}/v1/charges`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${CANARIES['a Stripe live key']!.text}` },
        body: 'amount=100',
      }).catch((error: unknown) => error);
      const classified = classifyError(original, { service: 'stripe' });
      expect(classified).toMatchObject({ kind: 'network', outcome: 'unknown' });
      expectNoCanary(classified, CANARIES['a Stripe live key']!);
    } finally {
      await server.close();
    }
  });
});

describe('scrubSecrets', () => {
  it('returns the same value, scrubbed in place, with its class', () => {
    class ProviderError extends Error {}
    const error = new ProviderError('Bearer abcdefghijkl');
    expect(scrubSecrets(error)).toBe(error);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe('Bearer [redacted]');
  });

  it.each([[undefined], [null], [42], ['Bearer abcdefghijkl'], [Symbol('x')]])(
    'returns %s as it is',
    (value) => {
      expect(scrubSecrets(value)).toBe(value);
    },
  );

  it('survives cycles between errors, requests and headers', () => {
    const headers: Record<string, unknown> = { authorization: 'Bearer abcdefghijkl' };
    headers.self = headers;
    const request: Record<string, unknown> = { headers };
    const error = Object.assign(new Error('x'), {
      request,
      config: { headers },
      cause: undefined as unknown,
    });
    request.res = { req: request };
    error.cause = error;
    expect(() => scrubSecrets(error)).not.toThrow();
    expect(headers.authorization).toBe('[redacted]');
  });

  it('never throws for frozen errors, throwing getters and revoked proxies', () => {
    const frozen = Object.freeze(
      Object.assign(new Error('Bearer abcdefghijkl'), {
        config: Object.freeze({ headers: Object.freeze({ authorization: 'x' }) }),
      }),
    );
    const getter = Object.defineProperty(new Error('x'), 'config', {
      get() {
        throw new Error('getter');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const value of [frozen, getter, proxy, { cause: proxy }, { config: proxy }]) {
      expect(() => scrubSecrets(value)).not.toThrow();
    }
  });

  it('redacts secret headers in a fetch Headers kept on an error', () => {
    const headers = new Headers({ Authorization: 'Bearer abcdefghijkl', Accept: 'text/plain' });
    scrubSecrets({ config: { headers } });
    expect(headers.get('authorization')).toBe('[redacted]');
    expect(headers.get('accept')).toBe('text/plain');
  });

  it('redacts secret headers in a Map kept on an error', () => {
    const headers = new Map<string, unknown>([
      ['Authorization', 'Bearer abcdefghijkl'],
      ['x-echo', 'sk_live_abcdefghijkl'],
      ['accept', 'text/plain'],
    ]);
    scrubSecrets({ config: { headers } });
    expect([...headers]).toEqual([
      ['Authorization', '[redacted]'],
      ['x-echo', '[redacted]'],
      ['accept', 'text/plain'],
    ]);
  });

  it("redacts the values in an IncomingMessage's rawHeaders list", () => {
    const res = {
      rawHeaders: ['Set-Cookie', 'sid=abc', 'Content-Type', 'text/plain', 'X-Echo', 'Bearer abcdefghijkl'],
    };
    scrubSecrets({ request: { res } });
    expect(res.rawHeaders).toEqual([
      'Set-Cookie',
      '[redacted]',
      'Content-Type',
      'text/plain',
      'X-Echo',
      'Bearer [redacted]',
    ]);
  });
});

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer abcdefghijkl', 'Authorization: Bearer [redacted]'],
    ['bearer tok_with_underscores_1', 'bearer [redacted]'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'Basic [redacted]'],
    ['Token abc.def-ghi', 'Token [redacted]'],
    ['key sk_live_abcdefghij', 'key [redacted]'],
    ['key sk_test_abcdefghij', 'key [redacted]'],
    ['key rk_live_abcdefghij', 'key [redacted]'],
    ['secret whsec_abcdefghij', 'secret [redacted]'],
    ['SG.abcdefgh.ijklmnop', '[redacted]'],
    ['re_abcdefghij', '[redacted]'],
    ['https://user:pa55word@api.example.com/x', 'https://[redacted]@api.example.com/x'],
    ['{"authorization":"Bearer abcdefghijkl"}', '{"authorization":"Bearer [redacted]"}'],
  ])('redacts %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    'Too Many Requests',
    'connect ECONNREFUSED 127.0.0.1:443',
    'Bearer',
    'Bearer abc',
    'are_you_sure_about_this',
    'pk_live_publishable',
    'https://api.stripe.com/v1/charges',
    'req_123',
  ])('leaves %j alone', (text) => {
    expect(redactText(text)).toBe(text);
  });
});
