import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json';
import type { FakeProviderOptions, FakeProviderServer } from '../core/fake-provider-server';
import { type FakeRequest, type FakeResponse, startFakeServer } from '../core/fake-server';
import type { StatusFault } from '../core/fault';
import { FaultController } from '../core/fault-controller';
import { type RateLimitDecision, RateLimitWindow } from '../core/rate-limit-window';
import { bearerToken, type RecordedRequest, recordRequest } from '../core/recorded-request';
import { serveWithFault } from '../core/serve-with-fault';
import { RESEND_ERRORS, resendError, resendErrorNameFor } from './resend-errors';
import { ResendIdempotencyStore } from './resend-idempotency';
import { acceptResendBatch, acceptResendEmail } from './resend-sending';

/** An email the fake Resend accepted. */
export interface ResendDelivery {
  /** The id the fake answered with. */
  readonly id: string;
  /** The email as the API received it: `from`, `to`, `reply_to`, `tags`, `attachments`... */
  readonly email: Readonly<Record<string, unknown>>;
  /** The endpoint it came through. */
  readonly endpoint: '/emails' | '/emails/batch';
  /** The idempotency key of its request, when one was sent. */
  readonly idempotencyKey: string | undefined;
}

/** Options of {@link startFakeResend}. */
export interface FakeResendOptions extends FakeProviderOptions {}

/** A running fake Resend API. Point the SDK at it with `new Resend(key, { baseUrl: fake.url })`. */
export interface FakeResend extends FakeProviderServer<ResendDelivery> {}

const ROUTES = new Set(['/emails', '/emails/batch']);

/**
 * Starts a fake Resend API on 127.0.0.1 (a free port) with `POST /emails` and `POST /emails/batch`.
 * It checks the `Authorization` header, validates emails, honours idempotency keys as Resend does
 * (replay, 409 `invalid_idempotent_request`, 409 `concurrent_idempotent_requests`), enforces an
 * optional rate limit with Resend's `ratelimit-*` and `retry-after` headers, and injects faults.
 */
export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const now = options.now ?? Date.now;
  const faults = new FaultController();
  const deliveries: ResendDelivery[] = [];
  const requests: RecordedRequest[] = [];
  const idempotency = new ResendIdempotencyStore(now);
  const window = options.rateLimit === undefined ? undefined : new RateLimitWindow(options.rateLimit, now);

  async function process(request: FakeRequest, latency: () => Promise<void>): Promise<FakeResponse> {
    if (!ROUTES.has(request.path)) return resendError('not_found');
    if (request.method !== 'POST') return resendError('method_not_allowed');
    const token = bearerToken(request);
    if (token === undefined) return resendError('missing_api_key');
    if (options.apiKey !== undefined && token !== options.apiKey) return resendError('invalid_api_key');
    const decision = window?.take();
    const limitHeaders = decision === undefined ? {} : rateLimitHeaders(decision, now());
    if (decision !== undefined && !decision.allowed) {
      const retryAfter = Math.max(1, Math.ceil((decision.resetAtMs - now()) / 1000));
      return resendError('rate_limit_exceeded', {
        headers: { ...limitHeaders, 'retry-after': String(retryAfter) },
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return resendError('validation_error', { message: 'Invalid JSON body.', headers: limitHeaders });
    }
    const key = headerValue(request, 'idempotency-key');
    const accept = async (): Promise<FakeResponse> => {
      await latency();
      const accepted =
        request.path === '/emails'
          ? acceptResendEmail(body)
          : acceptResendBatch(body, headerValue(request, 'x-batch-validation') === 'permissive');
      if (accepted.type === 'rejected') return resendError(accepted.name, { message: accepted.message });
      for (const { id, email } of accepted.deliveries) {
        deliveries.push({
          id,
          email,
          endpoint: request.path as ResendDelivery['endpoint'],
          idempotencyKey: key,
        });
      }
      return accepted.response;
    };
    if (key === undefined) return withHeaders(await accept(), limitHeaders);
    if (key.length > 256) return resendError('invalid_idempotency_key', { headers: limitHeaders });
    const check = idempotency.begin(key, canonicalJson([request.path, body]));
    if (check.type === 'replay') return withHeaders(check.response, limitHeaders);
    if (check.type === 'conflict') return resendError(check.name, { headers: limitHeaders });
    let response: FakeResponse = resendError('application_error');
    try {
      response = await accept();
    } finally {
      idempotency.complete(key, response);
    }
    return withHeaders(response, limitHeaders);
  }

  const server = await startFakeServer(async (request, signal) => {
    const fault = faults.next();
    requests.push(recordRequest(request, fault));
    return serveWithFault({
      fault,
      signal,
      renderStatus: (statusFault) => withRequestId(renderStatusFault(statusFault)),
      process: async (latency) => withRequestId(await process(request, latency)),
    });
  });

  return {
    url: server.url,
    port: server.port,
    close: server.close,
    deliveries,
    requests,
    faults,
    reset() {
      deliveries.length = 0;
      requests.length = 0;
      faults.clear();
      idempotency.clear();
      window?.reset();
    },
  };
}

/** Resend's error answer for a status fault, with rate-limit headers on a `rate_limit_exceeded`. */
function renderStatusFault(fault: StatusFault): FakeResponse {
  const name = fault.code ?? resendErrorNameFor(fault.status ?? 500);
  const status = fault.status ?? RESEND_ERRORS[name]?.status ?? 500;
  if (fault.body !== undefined) {
    return { status, headers: { 'content-type': 'text/html', ...fault.headers }, body: fault.body };
  }
  const headers: Record<string, string> = {};
  if (name === 'rate_limit_exceeded') {
    const seconds = String(fault.retryAfterSeconds ?? 1);
    Object.assign(headers, {
      'ratelimit-remaining': '0',
      'ratelimit-reset': seconds,
      'retry-after': seconds,
    });
  }
  return resendError(name, { status, message: fault.message, headers: { ...headers, ...fault.headers } });
}

/** Resend's rate-limit headers (IETF draft-06): the limit, what is left, and seconds until the reset. */
function rateLimitHeaders(decision: RateLimitDecision, now: number): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(Math.max(0, Math.ceil((decision.resetAtMs - now) / 1000))),
  };
}

function withHeaders(response: FakeResponse, headers: Readonly<Record<string, string>>): FakeResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** Every answer carries a fresh `x-request-id`, for the adapters' `requestId`. */
function withRequestId(response: FakeResponse): FakeResponse {
  return withHeaders(response, { 'x-request-id': randomUUID() });
}

function headerValue(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
