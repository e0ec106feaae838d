import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FakeClock } from '@resilient/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSecret } from '../src/file-secret';
import { MissingSecretError } from '../src/missing-secret-error';

const VALUE = 'SG.canary-file.value-9d1e';
let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'resilient-file-secret-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('fileSecret', () => {
  it('reads the file, trimmed, named after its path by default', async () => {
    const path = join(directory, 'sendgrid_api_key');
    await writeFile(path, `${VALUE}\n`);
    const key = await fileSecret(path).get();
    expect(key.reveal()).toBe(VALUE);
    expect(key.name).toBe(path);
    expect((await fileSecret(path, { name: 'SENDGRID_API_KEY' }).get()).name).toBe('SENDGRID_API_KEY');
  });

  it('rejects with a MissingSecretError naming a missing file', async () => {
    const path = join(directory, 'absent');
    const error = await fileSecret(path)
      .get()
      .catch((caught) => caught);
    expect(MissingSecretError.isInstance(error)).toBe(true);
    expect(error.missing).toEqual([{ name: path, where: 'file', reason: 'not found' }]);
  });

  it('rejects an empty file, and an unreadable one, without ever printing the content', async () => {
    const empty = join(directory, 'empty');
    await writeFile(empty, '\n');
    expect(
      (
        await fileSecret(empty)
          .get()
          .catch((caught) => caught)
      ).missing[0].reason,
    ).toBe('empty');
    const directoryError = await fileSecret(directory)
      .get()
      .catch((caught) => caught);
    expect(directoryError.missing[0].reason).toBe('not readable (EISDIR)');
    const locked = join(directory, 'locked');
    await writeFile(locked, VALUE);
    await chmod(locked, 0o000);
    const error = await fileSecret(locked)
      .get()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    // Running as root reads it anyway; otherwise the error names the file, not the content.
    if (error !== undefined) expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(VALUE);
  });

  it('keeps the value until refresh, which reads the rotated file', async () => {
    const clock = new FakeClock();
    const path = join(directory, 'rotating');
    await writeFile(path, 'key-one');
    const source = fileSecret(path, { clock });
    const first = await source.get();
    await writeFile(path, 'key-two');
    expect((await source.get()).reveal()).toBe('key-one');
    expect((await source.refresh(first)).reveal()).toBe('key-two');
  });

  it('validates its options at construction', () => {
    expect(() => fileSecret('')).toThrow(/fileSecret: path must be a non-empty string/);
    expect(() => fileSecret('/x', { ttlMs: -1 })).toThrow(
      /fileSecret: ttlMs must be a whole number of milliseconds >= 1 or Infinity; got -1/,
    );
    expect(() => fileSecret('/x', { nmae: 'A' } as never)).toThrow(/fileSecret: unknown option "nmae"/);
  });
});
