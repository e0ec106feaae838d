import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSecret } from '../src/env-secret';
import { MissingSecretError } from '../src/missing-secret-error';

let directory: string;
let envFile: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'resilient-secrets-'));
  envFile = join(directory, '.env');
  await writeFile(envFile, 'FROM_FILE_ONLY=file-value-1\nSET_IN_BOTH=file-value-2\n# comment\n');
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('envSecret', () => {
  it('reads the variable from the given environment, named after it', async () => {
    const key = await envSecret('RESEND_API_KEY', {
      env: { RESEND_API_KEY: 're_value' },
      envFile: false,
    }).get();
    expect(key.reveal()).toBe('re_value');
    expect(String(key)).toBe('[secret RESEND_API_KEY]');
  });

  it('trims the value, so a key pasted with a trailing newline does not reach an HTTP header', async () => {
    const source = envSecret('RESEND_API_KEY', {
      env: { RESEND_API_KEY: '  re_trimmed_key_value\n' },
      envFile: false,
    });
    expect((await source.get()).reveal()).toBe('re_trimmed_key_value');
  });

  it('rejects with a MissingSecretError naming an unset or empty variable', async () => {
    const unset = await envSecret('RESEND_API_KEY', { env: {}, envFile: false })
      .get()
      .catch((error) => error);
    expect(MissingSecretError.isInstance(unset)).toBe(true);
    expect(unset.message).toBe(
      'A required secret is missing: RESEND_API_KEY (environment variable, not set)',
    );
    const empty = await envSecret('RESEND_API_KEY', { env: { RESEND_API_KEY: ' ' }, envFile: false })
      .get()
      .catch((error) => error);
    expect(empty.missing).toEqual([
      { name: 'RESEND_API_KEY', where: 'environment variable', reason: 'empty' },
    ]);
  });

  it('falls back to the .env file for a variable the environment lacks, without changing that environment', async () => {
    const env: Record<string, string> = { SET_IN_BOTH: 'from-environment' };
    expect((await envSecret('FROM_FILE_ONLY', { env, envFile }).get()).reveal()).toBe('file-value-1');
    expect((await envSecret('SET_IN_BOTH', { env, envFile }).get()).reveal()).toBe('from-environment');
    expect(env).toEqual({ SET_IN_BOTH: 'from-environment' });
  });

  it('loads the .env file into process.env with Node’s loader, never overriding a variable already set', async () => {
    const file = join(directory, 'process.env');
    await writeFile(file, 'RESILIENT_TEST_ONLY_IN_FILE=loaded\nRESILIENT_TEST_ALREADY_SET=from-file\n');
    process.env.RESILIENT_TEST_ALREADY_SET = 'from-process';
    try {
      expect((await envSecret('RESILIENT_TEST_ONLY_IN_FILE', { envFile: file }).get()).reveal()).toBe(
        'loaded',
      );
      expect(process.env.RESILIENT_TEST_ONLY_IN_FILE).toBe('loaded');
      expect((await envSecret('RESILIENT_TEST_ALREADY_SET', { envFile: file }).get()).reveal()).toBe(
        'from-process',
      );
    } finally {
      delete process.env.RESILIENT_TEST_ONLY_IN_FILE;
      delete process.env.RESILIENT_TEST_ALREADY_SET;
    }
  });

  it('ignores a missing .env file', async () => {
    const source = envSecret('A', { env: { A: 'value' }, envFile: join(directory, 'absent.env') });
    expect((await source.get()).reveal()).toBe('value');
  });

  it('reads the variable again on refresh, so a changed variable is picked up', async () => {
    const env: Record<string, string> = { KEY: 'old' };
    const source = envSecret('KEY', { env, envFile: false });
    expect((await source.get()).reveal()).toBe('old');
    env.KEY = 'new';
    expect((await source.refresh()).reveal()).toBe('new');
  });

  it('validates its options at construction, naming the option', () => {
    expect(() => envSecret('')).toThrow(/envSecret: variable must be a non-empty string/);
    expect(() => envSecret('A', { envFile: '' })).toThrow(/envSecret: envFile must be a non-empty string/);
    expect(() => envSecret('A', { env: 'x' as never })).toThrow(/envSecret: env must be an object/);
    expect(() => envSecret('A', { enviroment: {} } as never)).toThrow(/unknown option "enviroment"/);
  });
});
