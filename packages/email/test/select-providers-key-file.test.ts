import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmailConfigurationError,
  type EmailProviderFactory,
  type Environment,
  MissingApiKeyError,
  selectProvidersFromEnv,
} from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import type { SecretSource } from '@resilient/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FILE_KEY = 're_file_0123456789abcdefghij';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'resilient-email-keys-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** Writes `content` to a file in the test directory; returns its path. */
async function keyFile(name: string, content: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

/** Selects from `env` with factories that keep the key source each provider was given. */
function select(env: Environment): Record<string, SecretSource> {
  const sources: Record<string, SecretSource> = {};
  const factory = (name: string, apiKeyVariable: string): EmailProviderFactory => ({
    name,
    apiKeyVariable,
    create: ({ apiKey }) => {
      if (typeof apiKey === 'string') throw new Error('expected a SecretSource');
      sources[name] = apiKey;
      return new InMemoryEmailProvider({ name });
    },
  });
  selectProvidersFromEnv({
    factories: [factory('resend', 'RESEND_API_KEY'), factory('sendgrid', 'SENDGRID_API_KEY')],
    env,
  });
  return sources;
}

function errorOf(env: Environment): Error {
  try {
    select(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected selectProvidersFromEnv to throw');
}

describe('API keys from the environment: variables and <VARIABLE>_FILE', () => {
  it('reads a key from the file <VARIABLE>_FILE names when the variable is unset, trimmed', async () => {
    const path = await keyFile('resend', `${FILE_KEY}\n`);
    const sources = select({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY_FILE: path });
    const key = await sources.resend!.get();
    expect(key.reveal()).toBe(FILE_KEY);
    expect(String(key)).toBe('[secret RESEND_API_KEY]');
  });

  it('reads a key rotated in the file when the provider asks again after a refusal', async () => {
    const path = await keyFile('rotating', 're_old_key_0000000000');
    const source = select({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY_FILE: path }).resend!;
    const old = await source.get();
    await writeFile(path, 're_new_key_1111111111');
    expect((await source.get()).reveal()).toBe('re_old_key_0000000000');
    expect((await source.refresh(old)).reveal()).toBe('re_new_key_1111111111');
  });

  it('gives a source that reads the variable again on every send, so a changed value is picked up', async () => {
    const env: Record<string, string> = { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_first_0000000000' };
    const source = select(env).resend!;
    expect((await source.get()).reveal()).toBe('re_first_0000000000');
    env.RESEND_API_KEY = ' re_second_111111111\n';
    expect((await source.refresh()).reveal()).toBe('re_second_111111111');
  });

  it('lists every missing key in one error, by variable and file, never by value', async () => {
    const empty = await keyFile('empty', '  \n');
    const error = errorOf({
      EMAIL_PROVIDERS: 'resend,sendgrid',
      RESEND_API_KEY_FILE: join(directory, 'absent'),
      SENDGRID_API_KEY_FILE: empty,
    });
    expect(error).toBeInstanceOf(MissingApiKeyError);
    const missing = error as MissingApiKeyError;
    expect(missing.variables).toEqual(['RESEND_API_KEY', 'SENDGRID_API_KEY']);
    expect(missing.missing.map((entry) => entry.reason)).toEqual([
      `RESEND_API_KEY_FILE names ${join(directory, 'absent')}: not found`,
      `SENDGRID_API_KEY_FILE names ${empty}: empty`,
    ]);
    expect(missing.message).toMatch(
      /^2 API keys are missing: resend: set RESEND_API_KEY .*; sendgrid: set SENDGRID_API_KEY/,
    );
  });

  it('lists an unset variable and a good file together: only the unset one is missing', async () => {
    const path = await keyFile('sendgrid', 'SG.file.key.0123456789');
    const error = errorOf({ EMAIL_PROVIDERS: 'resend,sendgrid', SENDGRID_API_KEY_FILE: path });
    expect(error).toMatchObject({ name: 'MissingApiKeyError', variable: 'RESEND_API_KEY' });
    expect((error as MissingApiKeyError).variables).toEqual(['RESEND_API_KEY']);
    expect(error.message).not.toContain('SG.file.key');
  });

  it('refuses a key given both as the variable and as a file', async () => {
    const path = await keyFile('both', FILE_KEY);
    const error = errorOf({
      EMAIL_PROVIDER: 'resend',
      RESEND_API_KEY: 're_x_0000000000',
      RESEND_API_KEY_FILE: path,
    });
    expect(error).toBeInstanceOf(EmailConfigurationError);
    expect(error).toMatchObject({ variable: 'RESEND_API_KEY_FILE' });
    expect(error.message).toMatch(/not both/);
    expect(error.message).not.toContain('re_x_0000000000');
  });
});
