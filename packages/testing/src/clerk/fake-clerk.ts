import type { FakeProviderOptions, FakeProviderServer } from '../core/fake-provider-server';
import { type FakeRequest, type FakeResponse, startFakeServer } from '../core/fake-server';
import { FaultController } from '../core/fault-controller';
import { RateLimitWindow } from '../core/rate-limit-window';
import { bearerToken, parseJson, recordRequest } from '../core/recorded-request';
import { serveWithFault } from '../core/serve-with-fault';
import { clerkError, clerkErrorResponse, renderClerkStatusFault } from './clerk-errors';
import { ClerkSigningKeys } from './clerk-signing-keys';
import { ClerkUserError, ClerkUserStore, type FakeClerkUser } from './clerk-users';

/** Options of {@link startFakeClerk}. `apiKey` is the only secret key accepted (default: any). */
export interface FakeClerkOptions extends FakeProviderOptions {}

/**
 * A running fake Clerk Backend API. Point `@clerk/backend` at it with
 * `createClerkClient({ secretKey, apiUrl: fake.url })`. `deliveries` lists the users created, in order.
 */
export interface FakeClerk extends FakeProviderServer<FakeClerkUser> {
  /** The users there are now (created and not deleted), in order of creation. */
  readonly users: readonly FakeClerkUser[];
  /** The instance's signing keys: `sign` a session token, `rotate` them, read `publicKeyPem`. */
  readonly keys: ClerkSigningKeys;
  /**
   * A session token signed with the current key: `sub`, `sid`, `iss`, `iat`, `nbf` and `exp` (one minute
   * from now, on the real clock, which `@clerk/backend` checks it against), overridden by `claims`.
   */
  signSessionToken(claims?: Readonly<Record<string, unknown>>): string;
}

const USER_PATH = /^\/v1\/users\/([A-Za-z0-9_]+)$/;

/**
 * Starts a fake Clerk Backend API (v1) on 127.0.0.1 (a free port): users (create with unique email and
 * external id, get, list with `email_address`/`external_id` filters, count, delete), the instance's
 * JWKS (`GET /v1/jwks`) with key rotation, Bearer authentication with the secret key, Clerk-shaped
 * error bodies (`errors[]` with `code`, `message`, `long_message`, `meta`, and `clerk_trace_id`), an
 * optional rate limit on the user endpoints (429 `too_many_requests` with `Retry-After`), and the
 * shared faults, which apply to every request (JWKS included).
 */
export async function startFakeClerk(options: FakeClerkOptions = {}): Promise<FakeClerk> {
  const now = options.now ?? Date.now;
  const faults = new FaultController();
  const requests: FakeProviderServer<FakeClerkUser>['requests'][number][] = [];
  const store = new ClerkUserStore(now);
  const deliveries: FakeClerkUser[] = [];
  const keys = new ClerkSigningKeys();
  const window = options.rateLimit === undefined ? undefined : new RateLimitWindow(options.rateLimit, now);

  async function process(request: FakeRequest, latency: () => Promise<void>): Promise<FakeResponse> {
    const token = bearerToken(request);
    if (token === undefined || (options.apiKey !== undefined && token !== options.apiKey))
      return clerkError('authentication_invalid');
    await latency();
    if (request.method === 'GET' && request.path === '/v1/jwks') return json(200, keys.jwks());
    if (!request.path.startsWith('/v1/users')) return clerkError('resource_not_found');
    if (window !== undefined) {
      const decision = window.take();
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil((decision.resetAtMs - now()) / 1000));
        return clerkError('too_many_requests', { 'retry-after': String(seconds) });
      }
    }
    try {
      return users(request);
    } catch (error) {
      if (!(error instanceof ClerkUserError)) throw error;
      return clerkErrorResponse(error.code === 'resource_not_found' ? 404 : 422, {
        code: error.code,
        message: error.code === 'resource_not_found' ? 'not found' : `invalid ${error.paramName}`,
        ...(error.paramName === undefined ? {} : { paramName: error.paramName }),
      });
    }
  }

  function users(request: FakeRequest): FakeResponse {
    const query = new URLSearchParams(request.query);
    if (request.path === '/v1/users' && request.method === 'POST') {
      const body = parseJson(request.body);
      const user = store.create(
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
      );
      deliveries.push(user);
      return json(200, user);
    }
    if (request.path === '/v1/users' && request.method === 'GET') {
      const limit = Number(query.get('limit') ?? 10);
      const offset = Number(query.get('offset') ?? 0);
      return json(200, store.filter(query).slice(offset, offset + limit));
    }
    if (request.path === '/v1/users/count' && request.method === 'GET')
      return json(200, { object: 'total_count', total_count: store.filter(query).length });
    const id = USER_PATH.exec(request.path)?.[1];
    if (id !== undefined && request.method === 'GET') return json(200, store.find(id));
    if (id !== undefined && request.method === 'DELETE') return json(200, store.delete(id));
    return clerkError('resource_not_found');
  }

  const server = await startFakeServer(async (request, signal) => {
    const fault = faults.next();
    requests.push(recordRequest(request, fault));
    return serveWithFault({
      fault,
      signal,
      renderStatus: renderClerkStatusFault,
      process: (latency) => process(request, latency),
    });
  });

  return {
    url: server.url,
    port: server.port,
    close: server.close,
    deliveries,
    requests,
    faults,
    users: store.users,
    keys,
    signSessionToken(claims = {}) {
      const seconds = Math.floor(Date.now() / 1000);
      return keys.sign({
        sub: 'user_fake',
        sid: 'sess_fake',
        iss: server.url,
        iat: seconds,
        nbf: seconds - 5,
        exp: seconds + 60,
        ...claims,
      });
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      faults.clear();
      store.clear();
      window?.reset();
    },
  };
}

/** A JSON answer with `content-type: application/json` exactly, which `@clerk/backend` requires to parse it. */
function json(status: number, value: unknown): FakeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
