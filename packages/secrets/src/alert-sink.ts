/** A person needs to act: a provider refused the SDK's credentials. Never holds the key. */
export interface AuthAlert {
  /** The service whose key was refused, such as `resend`. */
  readonly service: string;
  /** `auth`: the key is invalid, expired or revoked; `permission`: it lacks a scope. */
  readonly kind: 'auth' | 'permission';
  /** The operation that was refused, such as `emails.send`. */
  readonly operation: string;
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** The provider's error code, such as `invalid_api_key`. */
  readonly code: string | undefined;
  /** The provider's request id, for its support team. */
  readonly requestId: string | undefined;
  /** The error's message, with credentials redacted. */
  readonly message: string;
  /** When it happened, as an ISO 8601 time. */
  readonly at: string;
  /** One line for a person: what happened and what to do. */
  readonly text: string;
}

/**
 * Where alerts go: a log ({@link consoleAlertSink}), a chat webhook ({@link webhookAlertSink}), a pager.
 * A sink may throw or reject: the alerting plugin reports that and never lets it break a call.
 */
export interface AlertSink {
  /** A name for reports of a failing sink, such as `webhook`. */
  readonly name: string;
  /** Delivers one alert. */
  send(alert: AuthAlert): void | Promise<void>;
}
