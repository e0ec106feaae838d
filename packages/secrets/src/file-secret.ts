import type { Clock } from '@resilient/core';
import { cachedSource } from './cached-source';
import { checkKeys, checkOptions, optionalDuration, requireText } from './internal/validate';
import { MissingSecretError } from './missing-secret-error';
import { Secret } from './secret';
import type { SecretSource } from './secret-source';

/** Options of {@link fileSecret}. */
export interface FileSecretOptions {
  /** The secret's name in its redacted form and errors. Default: the path. */
  readonly name?: string;
  /** How long a read value is used before the file is read again, in ms. Default: `Infinity` (read once, and again on `refresh`). */
  readonly ttlMs?: number;
  /** The shortest time between two reads that `refresh` forces, in ms. Default: 10,000. */
  readonly minRefreshIntervalMs?: number;
  /** The clock. Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * The secret in a file, as container platforms mount them (Docker and Compose secrets under
 * `/run/secrets/NAME`, Kubernetes secret volumes). The content is trimmed (a trailing newline is
 * not part of the key). It is read on the first `get` and again on `refresh`, so a key rotated in the
 * mounted file is picked up when the provider refuses the old one. A missing, empty or unreadable file
 * rejects with a `MissingSecretError` naming the file, never its content.
 *
 * @example
 * const apiKey = fileSecret('/run/secrets/resend_api_key');
 */
export function fileSecret(path: string, options?: FileSecretOptions): SecretSource {
  const where = 'fileSecret';
  const file = requireText(where, 'path', path);
  const record = checkOptions(where, options);
  checkKeys(where, record, ['name', 'ttlMs', 'minRefreshIntervalMs', 'clock']);
  const name = record.name === undefined ? file : requireText(where, 'name', record.name).trim();
  return cachedSource(() => readSecretFile(file, name), {
    name,
    ttlMs: optionalDuration(where, 'ttlMs', record.ttlMs, Number.POSITIVE_INFINITY, {
      min: 1,
      allowInfinity: true,
    }),
    // A file that disappeared is missing now: no stale value is served past the TTL.
    maxStaleMs: 0,
    minRefreshIntervalMs: optionalDuration(
      where,
      'minRefreshIntervalMs',
      record.minRefreshIntervalMs,
      10_000,
      {
        min: 0,
      },
    ),
    clock: record.clock,
  });
}

async function readSecretFile(file: string, name: string): Promise<Secret> {
  let content: string;
  try {
    const { readFile } = await import('node:fs/promises');
    content = await readFile(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    const reason =
      code === 'ENOENT' ? 'not found' : `not readable${typeof code === 'string' ? ` (${code})` : ''}`;
    throw new MissingSecretError([{ name: file, where: 'file', reason }]);
  }
  const value = content.trim();
  if (value === '') throw new MissingSecretError([{ name: file, where: 'file', reason: 'empty' }]);
  return new Secret(value, { name });
}
