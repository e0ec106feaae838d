import { randomBytes } from 'node:crypto';
import type { FakeProviderOptions, FakeProviderServer } from '../core/fake-provider-server';
import { type FakeRequest, type FakeResponse, startFakeServer } from '../core/fake-server';
import type { StatusFault } from '../core/fault';
import { FaultController } from '../core/fault-controller';
import { type RateLimitDecision, RateLimitWindow } from '../core/rate-limit-window';
import { bearerToken, type RecordedRequest, recordRequest } from '../core/recorded-request';
import { serveWithFault } from '../core/serve-with-fault';
import { SENDGRID_ERROR_MESSAGES, sendgridError } from './sendgrid-errors';
import { validateSendGridMail } from './sendgrid-validation';

/** A message the fake SendGrid accepted. */
export interface SendGridDelivery {
  /** The `X-Message-Id` the fake answered with. */
  readonly messageId: string;
  /** The v3 mail body as received: `personalizations`, `from`, `subject`, `content`, `custom_args`... */
  readonly mail: Readonly<Record<string, unknown>>;
}

/** Options of {@link startFakeSendGrid}. */
export interface FakeSendGridOptions extends FakeProviderOptions {}

/**
 * A running fake SendGrid v3 API. Point `@sendgrid/mail` at it by setting the key first, then
 * `client.setDefaultRequest('baseUrl', fake.url)` (setting the key resets the base URL).
 */
export interface FakeSendGrid extends FakeProviderServer<SendGridDelivery> {}

const SEND_PATH = '/v3/mail/send';

/**
 * Starts a fake SendGrid API on 127.0.0.1 (a free port) with `POST /v3/mail/send`: it checks the
 * `Authorization` header, validates the mail, answers 202 with an `X-Message-Id`, enforces an optional
 * rate limit with SendGrid's `X-RateLimit-Limit`/`-Remaining`/`-Reset` (epoch seconds) headers, and
 * injects faults. SendGrid has no idempotency keys: every accepted request is a delivery.
 */
export async function startFakeSendGrid(options: FakeSendGridOptions = {}): Promise<FakeSendGrid> {
  const now = options.now ?? Date.now;
  const faults = new FaultController();
  const deliveries: SendGridDelivery[] = [];
  const requests: RecordedRequest[] = [];
  const window = options.rateLimit === undefined ? undefined : new RateLimitWindow(options.rateLimit, now);

  async function process(request: FakeRequest, latency: () => Promise<void>): Promise<FakeResponse> {
    if (request.path !== SEND_PATH) return sendgridError(404);
    if (request.method !== 'POST') return sendgridError(405);
    const token = bearerToken(request);
    if (token === undefined) return sendgridError(401, [{ message: 'authorization required' }]);
    if (options.apiKey !== undefined && token !== options.apiKey) return sendgridError(401);
    const decision = window?.take();
    const limitHeaders = decision === undefined ? {} : rateLimitHeaders(decision);
    if (decision !== undefined && !decision.allowed) return sendgridError(429, undefined, limitHeaders);
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return sendgridError(400, [{ message: 'Bad Request' }], limitHeaders);
    }
    await latency();
    const errors = validateSendGridMail(body);
    if (errors.length > 0) return sendgridError(400, errors, limitHeaders);
    const messageId = randomBytes(16).toString('base64url');
    deliveries.push({ messageId, mail: body as Record<string, unknown> });
    return { status: 202, headers: { ...limitHeaders, 'X-Message-Id': messageId }, body: '' };
  }

  const server = await startFakeServer(async (request, signal) => {
    const fault = faults.next();
    requests.push(recordRequest(request, fault));
    return serveWithFault({
      fault,
      signal,
      renderStatus: (statusFault) => renderStatusFault(statusFault, now()),
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
    reset() {
      deliveries.length = 0;
      requests.length = 0;
      faults.clear();
      window?.reset();
    },
  };
}

/** SendGrid's error answer for a status fault, with exhausted rate-limit headers on a 429. */
function renderStatusFault(fault: StatusFault, now: number): FakeResponse {
  const status = fault.status ?? 500;
  if (fault.body !== undefined) {
    return { status, headers: { 'content-type': 'text/html', ...fault.headers }, body: fault.body };
  }
  const headers: Record<string, string> = {};
  if (status === 429) {
    // Whole epoch seconds, rounded down: the reset is at most `retryAfterSeconds` away.
    const resetAtSeconds = Math.floor(now / 1000) + (fault.retryAfterSeconds ?? 1);
    Object.assign(headers, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAtSeconds) });
  }
  const message = fault.message ?? SENDGRID_ERROR_MESSAGES[status] ?? 'error';
  return sendgridError(status, [{ message }], { ...headers, ...fault.headers });
}

/** SendGrid's rate-limit headers: the limit, what is left, and the reset as epoch seconds. */
function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAtMs / 1000)),
  };
}
