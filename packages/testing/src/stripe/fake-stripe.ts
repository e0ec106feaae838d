import { canonicalJson } from '../core/canonical-json';
import type { FakeProviderOptions, FakeProviderServer } from '../core/fake-provider-server';
import { type FakeRequest, type FakeResponse, startFakeServer } from '../core/fake-server';
import { FaultController } from '../core/fault-controller';
import { RateLimitWindow } from '../core/rate-limit-window';
import { type RecordedRequest, recordRequest } from '../core/recorded-request';
import { jsonResponse, serveWithFault } from '../core/serve-with-fault';
import { answerStripeCall } from './stripe-answer';
import { authenticateStripeRequest } from './stripe-authentication';
import { renderStripeStatusFault, stripeError, stripeErrorResponse } from './stripe-errors';
import { parseStripeForm, type StripeParams } from './stripe-form';
import { StripeIdempotencyStore } from './stripe-idempotency';
import {
  type FakeStripeCharge,
  type FakeStripeCustomer,
  type FakeStripePaymentIntent,
  type FakeStripeRefund,
  FakeStripeState,
  type FakeStripeWrite,
  stripeId,
} from './stripe-objects';
import { findStripeRoute, type RouteMatch } from './stripe-router';

/** Options of {@link startFakeStripe}. `apiKey` is the only secret key accepted (default: any). */
export interface FakeStripeOptions extends FakeProviderOptions {}

/** A request the fake Stripe received. `body` holds the parsed form parameters of a POST. */
export interface FakeStripeRequest extends RecordedRequest {
  /** The parsed query parameters (a GET's parameters). */
  readonly query: StripeParams;
}

/**
 * A running fake Stripe API. Point the SDK at it with
 * `new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http' })`.
 * `deliveries` lists every object it created, in order, with the idempotency key that created it.
 */
export interface FakeStripe extends FakeProviderServer<FakeStripeWrite> {
  readonly requests: readonly FakeStripeRequest[];
  /** The customers created, in order. */
  readonly customers: readonly FakeStripeCustomer[];
  /** The PaymentIntents created, in order, as they are now. */
  readonly paymentIntents: readonly FakeStripePaymentIntent[];
  /** The charges made by confirmations, declined ones included. */
  readonly charges: readonly FakeStripeCharge[];
  /** The refunds created, in order. */
  readonly refunds: readonly FakeStripeRefund[];
  /**
   * Makes the next `count` requests that reach an endpoint fail inside it, after it began executing:
   * a 500 `api_error` that, like Stripe, the fake saves under the request's idempotency key and replays
   * to every retry with that key. (A `status` fault, by contrast, fails before anything is saved.)
   */
  failNextExecutions(count?: number): void;
}

/** What running an endpoint gave: the answer, and whether it failed validation (nothing is saved then). */
interface Execution {
  readonly response: FakeResponse;
  readonly validation: boolean;
}

/**
 * Starts a fake Stripe v1 API on 127.0.0.1 (a free port): customers (create, retrieve, list),
 * PaymentIntents (create, confirm, retrieve) and refunds (create), with form-encoded bodies as
 * stripe-node sends them, Bearer authentication, Stripe's idempotency keys (replay of the first answer,
 * errors included, with `Idempotent-Replayed: true`; 400 `idempotency_error` for a key reused with other
 * parameters; 409 `idempotency_key_in_use` while the first request runs), test payment methods that
 * decline, an optional rate limit, and the shared faults.
 */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const faults = new FaultController();
  const requests: FakeStripeRequest[] = [];
  const state = new FakeStripeState(now);
  const idempotency = new StripeIdempotencyStore(now);
  const window = options.rateLimit === undefined ? undefined : new RateLimitWindow(options.rateLimit, now);
  let executionFailures = 0;

  async function process(request: FakeRequest, latency: () => Promise<void>): Promise<FakeResponse> {
    const route = findStripeRoute(request.method, request.path);
    if (route === undefined) {
      return stripeErrorResponse(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.path}).`,
      });
    }
    const refusal = authenticateStripeRequest(request, options.apiKey);
    if (refusal !== undefined) return refusal;
    if (window !== undefined && !window.take().allowed) return stripeError('rate_limit');
    const params = parseStripeForm(request.method === 'GET' ? request.query : request.body);
    const key = request.method === 'POST' ? headerValue(request, 'idempotency-key') : undefined;
    if (key === undefined) return (await execute(route, params, undefined, latency)).response;
    if (key.length > 255) {
      return stripeErrorResponse(400, {
        type: 'idempotency_error',
        message: `Idempotency keys can be at most 255 characters long; this one has ${key.length}.`,
      });
    }
    const decision = idempotency.begin(key, canonicalJson([request.method, request.path, params]));
    if (decision.type === 'replay') return withHeaders(decision.response, { 'idempotent-replayed': 'true' });
    if (decision.type === 'in-use') return stripeError('idempotency_key_in_use');
    if (decision.type === 'mismatch') {
      return stripeErrorResponse(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    let saved = false;
    try {
      const outcome = await execute(route, params, key, latency);
      const response = withHeaders(outcome.response, { 'idempotency-key': key });
      if (!outcome.validation) {
        idempotency.save(key, response);
        saved = true;
      }
      return response;
    } finally {
      if (!saved) idempotency.release(key);
    }
  }

  async function execute(
    route: RouteMatch,
    params: StripeParams,
    idempotencyKey: string | undefined,
    latency: () => Promise<void>,
  ): Promise<Execution> {
    await latency();
    if (executionFailures > 0) {
      executionFailures--;
      const response = stripeErrorResponse(500, { type: 'api_error', message: 'An unknown error occurred' });
      return { response: withRequestId(response), validation: false };
    }
    const answer = answerStripeCall(() =>
      jsonResponse(200, route.handle(state, { params, id: route.id, idempotencyKey })),
    );
    return { response: withRequestId(answer.response), validation: answer.validation };
  }

  const server = await startFakeServer(async (request, signal) => {
    const fault = faults.next();
    requests.push({
      ...recordRequest(request, fault),
      body: request.method === 'POST' ? parseStripeForm(request.body) : {},
      query: parseStripeForm(request.query),
    });
    return serveWithFault({
      fault,
      signal,
      renderStatus: (statusFault) => withRequestId(renderStripeStatusFault(statusFault)),
      process: async (latency) => {
        const response = await process(request, latency);
        return response.headers?.['request-id'] === undefined ? withRequestId(response) : response;
      },
    });
  });

  return {
    url: server.url,
    port: server.port,
    close: server.close,
    deliveries: state.writes,
    requests,
    faults,
    customers: state.customers,
    paymentIntents: state.paymentIntents,
    charges: state.charges,
    refunds: state.refunds,
    failNextExecutions(count = 1) {
      if (!(Number.isInteger(count) && count >= 0))
        throw new RangeError(`failNextExecutions: count must be a whole number >= 0, got ${String(count)}`);
      executionFailures += count;
    },
    reset() {
      requests.length = 0;
      faults.clear();
      state.clear();
      idempotency.clear();
      window?.reset();
      executionFailures = 0;
    },
  };
}

function withHeaders(response: FakeResponse, headers: Readonly<Record<string, string>>): FakeResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** Every answer carries a `request-id`, as Stripe's do; a replay keeps the first answer's. */
function withRequestId(response: FakeResponse): FakeResponse {
  return withHeaders(response, { 'request-id': stripeId('req', 14) });
}

function headerValue(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
