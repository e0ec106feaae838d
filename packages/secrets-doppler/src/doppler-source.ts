import { type Clock, systemClock } from '@resilient/core';
import {
  MissingSecretError,
  refreshingSource,
  Secret,
  type SecretSource,
  type SecretUnavailableError,
} from '@resilient/secrets';
import { DopplerError } from './doppler-error';

/** Options of {@link dopplerSource}. */
export interface DopplerSourceOptions {
  /** A Doppler service token (`dp.st.…`), scoped to one project and config; a string or a `Secret`. */
  readonly token: string | Secret;
  /** The secret's name in the config, such as `STRIPE_SECRET_KEY`; also its name in errors. */
  readonly name: string;
  /** The project. Default: the token's (a service token is scoped to one); needed with a personal token. */
  readonly project?: string;
  /** The config, such as `prd`. Default: the token's; needed with a personal token. */
  readonly config?: string;
  /** The API's base URL. Default: `https://api.doppler.com`. */
  readonly baseUrl?: string;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: typeof fetch;
  /** How long one request may take, in ms. Default: 10,000. */
  readonly timeoutMs?: number;
  /** How long a value is used before it is read again, in ms; reading starts in the background past 80% of it. Default: 300,000 (5 minutes). */
  readonly ttlMs?: number;
  /** How long past its TTL the last value is served while Doppler cannot be reached, in ms. Default: 3,600,000 (one hour). */
  readonly maxStaleMs?: number;
  /** The shortest time between two forced reads (a refused key), and after a failed read, in ms. Default: 10,000. */
  readonly minRefreshIntervalMs?: number;
  /** Told when a read failed and the last value was served instead; must not throw. */
  readonly onStale?: (error: MissingSecretError | SecretUnavailableError) => void;
  /** The clock. Default: the system clock; `FakeClock` from `@resilient/core/testing` in tests. */
  readonly clock?: Clock;
}

const OPTIONS = [
  'token',
  'name',
  'project',
  'config',
  'baseUrl',
  'fetch',
  'timeoutMs',
  'ttlMs',
  'maxStaleMs',
  'minRefreshIntervalMs',
  'onStale',
  'clock',
];
const WHERE = 'Doppler';

/**
 * A `SecretSource` for one secret of a Doppler config, read with a service token over Doppler's REST
 * API (`GET /v3/configs/config/secret`), built on `cachedSource` from `@resilient/secrets`: cached for
 * `ttlMs` and read again in the background before it expires, one read shared by concurrent callers,
 * the last value served for up to `maxStaleMs` while Doppler cannot be reached, and read again when an
 * adapter reports the key refused (`refresh(refusedKey)`), so a key rotated in Doppler is picked up.
 *
 * @example
 * const apiKey = dopplerSource({ token: process.env.DOPPLER_TOKEN!, name: 'RESEND_API_KEY' });
 * const provider = createResendProvider({ apiKey });
 */
export function dopplerSource(options: DopplerSourceOptions): SecretSource {
  const where = 'dopplerSource';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object with a token and a name`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}"; expected one of ${OPTIONS.join(', ')}`);
    }
  }
  if (typeof options.token !== 'string' && !Secret.isInstance(options.token)) {
    throw new TypeError(`${where}: token must be a non-empty string or a Secret`);
  }
  if (typeof options.token === 'string' && options.token.trim() === '') {
    throw new TypeError(`${where}: token must be a non-empty string or a Secret`);
  }
  const token = Secret.from(typeof options.token === 'string' ? options.token.trim() : options.token, {
    name: 'DOPPLER_TOKEN',
  });
  const name = text(where, 'name', options.name);
  const project = options.project === undefined ? undefined : text(where, 'project', options.project);
  const config = options.config === undefined ? undefined : text(where, 'config', options.config);
  if ((project === undefined) !== (config === undefined)) {
    throw new TypeError(`${where}: give both project and config, or neither (a service token knows its own)`);
  }
  let base: URL;
  try {
    base = new URL(options.baseUrl ?? 'https://api.doppler.com');
  } catch {
    throw new TypeError(`${where}: baseUrl must be an absolute URL`);
  }
  const fetcher = options.fetch ?? globalThis.fetch;
  if (typeof fetcher !== 'function') throw new TypeError(`${where}: fetch must be a function`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`${where}: timeoutMs must be a whole number of milliseconds >= 1`);
  }
  const url = new URL('v3/configs/config/secret', base.href.endsWith('/') ? base.href : `${base.href}/`);
  if (project !== undefined) url.searchParams.set('project', project);
  if (config !== undefined) url.searchParams.set('config', config);
  url.searchParams.set('name', name);

  const read = async (): Promise<Secret> => {
    let response: Response;
    try {
      response = await fetcher(url.href, {
        method: 'GET',
        headers: { authorization: `Bearer ${token.reveal()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const kind = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'network error';
      throw new DopplerError(name, 'unreachable', kind);
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) throw failure(name, response.status, body, token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new DopplerError(name, 'malformed', 'the answer is not JSON', response.status);
    }
    const value = (parsed as { value?: { computed?: unknown; raw?: unknown } } | null)?.value;
    if (typeof value !== 'object' || value === null) {
      throw new DopplerError(name, 'malformed', 'the answer has no value object', response.status);
    }
    const secretValue = value.computed ?? value.raw;
    if (secretValue === undefined || secretValue === null || secretValue === '') {
      throw new MissingSecretError([{ name, where: WHERE, reason: 'empty' }]);
    }
    if (typeof secretValue !== 'string') {
      throw new DopplerError(name, 'malformed', `the value is a ${typeof secretValue}, not a string`);
    }
    if (secretValue.trim() === '') throw new MissingSecretError([{ name, where: WHERE, reason: 'empty' }]);
    return new Secret(secretValue.trim(), { name });
  };

  return refreshingSource(read, {
    name,
    ttlMs: options.ttlMs,
    maxStaleMs: options.maxStaleMs,
    minRefreshIntervalMs: options.minRefreshIntervalMs,
    onStale: options.onStale,
    clock: options.clock ?? systemClock,
  });
}

function text(where: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${where}: ${option} must be a non-empty string`);
  }
  return value.trim();
}

/** A typed error for a non-2xx answer: Doppler's own messages, with the token removed. */
function failure(name: string, status: number, body: string, token: Secret): Error {
  if (status === 404) return new MissingSecretError([{ name, where: WHERE, reason: 'not found' }]);
  let messages = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { messages?: unknown };
    if (Array.isArray(parsed.messages)) {
      const text = parsed.messages.filter((entry) => typeof entry === 'string').join('; ');
      if (text !== '') messages = `HTTP ${status}: ${text.slice(0, 300)}`;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  messages = messages.split(token.reveal()).join('[redacted]');
  const reason =
    status === 401 || status === 403
      ? 'access-denied'
      : status === 429
        ? 'throttled'
        : status >= 500
          ? 'unreachable'
          : 'failed';
  return new DopplerError(name, reason, messages, status);
}
