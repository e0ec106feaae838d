import { createServer } from 'node:http';

/**
 * A tiny provider on 127.0.0.1 that fails the way real ones do. Each route is one failure mode.
 * `/flaky` fails twice with 503, then answers 200.
 */
export async function startFakeProvider() {
  let flakyCalls = 0;
  const sockets = new Set();
  const routes = {
    '/ok': (response) => json(response, 200, { id: 'msg_123' }),
    '/rate-limited': (response) =>
      json(
        response,
        429,
        { name: 'rate_limit_exceeded', message: 'Too many requests' },
        {
          'retry-after': '1',
          'ratelimit-limit': '5',
          'ratelimit-remaining': '0',
          'ratelimit-reset': '1',
        },
      ),
    '/quota': (response) =>
      json(response, 429, { name: 'daily_quota_exceeded', message: 'Daily quota reached' }),
    '/sendgrid-throttled': (response) =>
      json(
        response,
        429,
        { errors: [{ message: 'too many requests' }] },
        {
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30),
        },
      ),
    '/server-error': (response) =>
      json(response, 500, { error: { type: 'api_error' } }, { 'request-id': 'req_500' }),
    '/unavailable': (response) => json(response, 503, { message: 'maintenance' }, { 'retry-after': '2' }),
    '/unauthorized': (response) =>
      json(response, 401, { name: 'invalid_api_key', message: 'API key is invalid' }),
    '/card-declined': (response) =>
      json(
        response,
        402,
        { error: { code: 'card_declined', message: 'Your card was declined.' } },
        { 'request-id': 'req_402' },
      ),
    '/idempotency-in-use': (response) => json(response, 409, { error: { code: 'idempotency_key_in_use' } }),
    '/reset': (_response, request) => request.socket.destroy(),
    '/hang': () => {},
    '/flaky': (response) => {
      flakyCalls++;
      if (flakyCalls <= 2) json(response, 503, { message: 'try again' });
      else json(response, 200, { id: 'msg_flaky' });
    },
  };
  const server = createServer((request, response) => {
    const route = routes[new URL(request.url, 'http://localhost').pathname];
    if (route) route(response, request);
    else json(response, 404, { message: 'no such route' });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function json(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
