import { redactText } from '@resilient/core';

const MARKER = 'resilient.secrets-aws.error';

/**
 * Why AWS Secrets Manager did not give a secret: `access-denied` (IAM or the resource policy refused,
 * or the credentials are invalid or expired), `decryption-failed` (KMS could not decrypt it),
 * `invalid-request` (the secret is scheduled for deletion, say), `throttled`, `malformed` (not the
 * JSON asked for), `unreachable` (the network, a timeout, an AWS 5xx) or `failed` (anything else).
 */
export type AwsSecretsManagerFailure =
  | 'access-denied'
  | 'decryption-failed'
  | 'invalid-request'
  | 'throttled'
  | 'malformed'
  | 'unreachable'
  | 'failed';

/**
 * AWS Secrets Manager failed to give a secret. It names the secret and says why (`reason`, the AWS
 * error name in `awsCode`), never its value; the AWS SDK error is not kept (only its name, status and
 * request id), so nothing it held can leak. The source rejects with a `SecretUnavailableError` whose
 * `cause` is this error, once no cached value is fresh enough to serve instead.
 */
export class AwsSecretsManagerError extends Error {
  /** The secret's name, as the source names it. */
  readonly secretName: string;
  /** Why it failed. */
  readonly reason: AwsSecretsManagerFailure;
  /** The AWS error name, such as `AccessDeniedException`, when AWS answered. */
  readonly awsCode: string | undefined;
  /** The HTTP status, when AWS answered. */
  readonly status: number | undefined;
  /** AWS's request id, for its support team. */
  readonly requestId: string | undefined;

  constructor(
    secretName: string,
    reason: AwsSecretsManagerFailure,
    detail: string,
    info: { readonly awsCode?: string; readonly status?: number; readonly requestId?: string } = {},
  ) {
    super(`AWS Secrets Manager could not give the secret ${secretName}: ${reason} (${redactText(detail)})`);
    this.name = 'AwsSecretsManagerError';
    this.secretName = secretName;
    this.reason = reason;
    this.awsCode = info.awsCode;
    this.status = info.status;
    this.requestId = info.requestId;
    Object.defineProperty(this, Symbol.for(MARKER), { value: true });
  }

  /** Whether `error` is an {@link AwsSecretsManagerError}, from any copy of the package. */
  static isInstance(error: unknown): error is AwsSecretsManagerError {
    return typeof error === 'object' && error !== null && Symbol.for(MARKER) in error;
  }
}
