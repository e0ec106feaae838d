import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { type Clock, systemClock } from '@resilient/core';
import {
  MissingSecretError,
  refreshingSource,
  Secret,
  type SecretSource,
  type SecretUnavailableError,
} from '@resilient/secrets';
import { AwsSecretsManagerError, type AwsSecretsManagerFailure } from './aws-secrets-manager-error';

/** Options of {@link awsSecretsManagerSource}. */
export interface AwsSecretsManagerSourceOptions {
  /** The secret's name (`prod/stripe`) or full ARN. */
  readonly secretId: string;
  /** A key of the JSON object the secret string holds (`{"apiKey": "sk_live_..."}`); its value is the secret. Default: the whole secret string. */
  readonly jsonKey?: string;
  /** The version stage to read. Default: `AWSCURRENT`, as AWS documents for applications; `AWSPREVIOUS` to pin a rollback. */
  readonly versionStage?: string;
  /** The client to send with (your region, credentials, retries). Default: one built from `clientConfig`. */
  readonly client?: SecretsManagerClient;
  /** The configuration of the client built when `client` is not given. Default: the SDK's (region and credentials from the environment). */
  readonly clientConfig?: SecretsManagerClientConfig;
  /** The secret's name in its redacted form and errors. Default: `secretId`, with `#jsonKey` when one is given. */
  readonly name?: string;
  /** How long a value is used before it is read again, in ms; reading starts in the background past 80% of it. Default: 300,000 (5 minutes). */
  readonly ttlMs?: number;
  /** How long past its TTL the last value is served while AWS cannot be reached, in ms. Default: 3,600,000 (one hour). */
  readonly maxStaleMs?: number;
  /** The shortest time between two forced reads (a refused key), and after a failed read, in ms. Default: 10,000. */
  readonly minRefreshIntervalMs?: number;
  /** Told when a read failed and the last value was served instead; must not throw. */
  readonly onStale?: (error: MissingSecretError | SecretUnavailableError) => void;
  /** The clock. Default: the system clock; `FakeClock` from `@resilient/core/testing` in tests. */
  readonly clock?: Clock;
}

const OPTIONS = [
  'secretId',
  'jsonKey',
  'versionStage',
  'client',
  'clientConfig',
  'name',
  'ttlMs',
  'maxStaleMs',
  'minRefreshIntervalMs',
  'onStale',
  'clock',
];
const WHERE = 'AWS Secrets Manager';
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'CredentialsProviderError',
]);

/**
 * A `SecretSource` for a secret in AWS Secrets Manager (by name or ARN, or one key of the JSON it
 * holds), built on `cachedSource` from `@resilient/secrets`: cached for `ttlMs` and read again in the
 * background before it expires, one read shared by concurrent callers, the last value served for up to
 * `maxStaleMs` while AWS cannot be reached, and read again when an adapter reports the key refused
 * (`refresh(refusedKey)`), which is how a rotated key (a new `AWSCURRENT` version) is picked up.
 *
 * @example
 * const apiKey = awsSecretsManagerSource({ secretId: 'prod/stripe', jsonKey: 'apiKey' });
 * const payments = createResilientStripe(stripe, { apiKey });
 */
export function awsSecretsManagerSource(options: AwsSecretsManagerSourceOptions): SecretSource {
  const where = 'awsSecretsManagerSource';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object with a secretId`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}"; expected one of ${OPTIONS.join(', ')}`);
    }
  }
  const secretId = text(where, 'secretId', options.secretId);
  const jsonKey = options.jsonKey === undefined ? undefined : text(where, 'jsonKey', options.jsonKey);
  const versionStage = text(where, 'versionStage', options.versionStage ?? 'AWSCURRENT');
  const name =
    options.name === undefined
      ? jsonKey === undefined
        ? secretId
        : `${secretId}#${jsonKey}`
      : text(where, 'name', options.name);
  if (options.client !== undefined && options.clientConfig !== undefined) {
    throw new TypeError(`${where}: give client or clientConfig, not both`);
  }
  if (options.client !== undefined && typeof options.client?.send !== 'function') {
    throw new TypeError(`${where}: client must be a SecretsManagerClient`);
  }
  let client = options.client;

  const read = async (): Promise<Secret> => {
    client ??= new SecretsManagerClient(options.clientConfig ?? {});
    let output: GetSecretValueCommandOutput;
    try {
      output = await client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: versionStage }),
      );
    } catch (error) {
      throw translate(name, error);
    }
    const raw =
      output.SecretString ??
      (output.SecretBinary === undefined ? undefined : new TextDecoder().decode(output.SecretBinary));
    if (raw === undefined || raw.trim() === '') {
      throw new MissingSecretError([{ name, where: WHERE, reason: 'empty' }]);
    }
    const value = jsonKey === undefined ? raw : pick(name, raw, jsonKey);
    return new Secret(value.trim(), { name });
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

/** The value at `key` in the JSON `raw`; errors never include `raw` (nor JSON.parse's message, which quotes it). */
function pick(name: string, raw: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AwsSecretsManagerError(name, 'malformed', 'the secret string is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsSecretsManagerError(name, 'malformed', 'the secret string is not a JSON object');
  }
  const value = (parsed as Record<string, unknown>)[key];
  if (value === undefined || value === null) {
    throw new MissingSecretError([{ name, where: WHERE, reason: `no key "${key}" in its JSON` }]);
  }
  if (typeof value !== 'string') {
    throw new AwsSecretsManagerError(
      name,
      'malformed',
      `the value of "${key}" is a ${typeof value}, not a string`,
    );
  }
  if (value.trim() === '') throw new MissingSecretError([{ name, where: WHERE, reason: 'empty' }]);
  return value;
}

/** A typed error from what the SDK threw, keeping its name, status and request id only. */
function translate(name: string, error: unknown): Error {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  const awsCode = typeof record.name === 'string' ? record.name : undefined;
  const status = record.$metadata?.httpStatusCode;
  const requestId = record.$metadata?.requestId;
  const detail = `${awsCode ?? 'Error'}: ${typeof record.message === 'string' ? record.message.slice(0, 300) : 'failed'}`;
  if (awsCode === 'ResourceNotFoundException') {
    return new MissingSecretError([{ name, where: WHERE, reason: 'not found' }]);
  }
  let reason: AwsSecretsManagerFailure;
  if (awsCode !== undefined && ACCESS_DENIED.has(awsCode)) reason = 'access-denied';
  else if (awsCode === 'DecryptionFailure') reason = 'decryption-failed';
  else if (awsCode === 'InvalidRequestException' || awsCode === 'InvalidParameterException') {
    reason = 'invalid-request';
  } else if (awsCode === 'ThrottlingException' || status === 429) reason = 'throttled';
  else if (status === undefined || status >= 500 || awsCode === 'InternalServiceError')
    reason = 'unreachable';
  else reason = 'failed';
  return new AwsSecretsManagerError(name, reason, detail, { awsCode, status, requestId });
}
