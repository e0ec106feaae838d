import { redactText } from '@resilient/core';

/** Longest failure text an event carries. */
const MAX_LENGTH = 300;

/** The user-info part of any URL (`redis://user:password@`, `rediss://:password@`). */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;

/**
 * @internal The message of a Redis failure, safe to hand to `onEvent` and loggers: the client's own
 * passwords (from its options) and any URL credentials are replaced with `[redacted]`, and the text is cut
 * to 300 characters. Never the error object itself: ioredis errors can hold the command's arguments.
 */
export function failureText(error: unknown, secrets: readonly string[]): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = 'an unprintable error';
  }
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('[redacted]');
  text = redactText(text.replace(URL_CREDENTIALS, '$1[redacted]@'));
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

/** @internal The passwords an ioredis client was configured with, to scrub from failure texts. */
export function clientSecrets(redis: object): string[] {
  const options = (redis as { options?: Record<string, unknown> }).options;
  if (typeof options !== 'object' || options === null) return [];
  return ['password', 'sentinelPassword']
    .map((key) => options[key])
    .filter((value): value is string => typeof value === 'string' && value !== '');
}
