import { describe, expect, it } from 'vitest';
import { cachedSource } from '../src/cached-source';
import { checkSecrets } from '../src/check-secrets';
import { MissingSecretError } from '../src/missing-secret-error';

describe('checkSecrets', () => {
  it('resolves with every secret by name when all are there', async () => {
    const secrets = await checkSecrets(['STRIPE_SECRET_KEY', 'RESEND_API_KEY'], {
      env: { STRIPE_SECRET_KEY: 'sk_test_value', RESEND_API_KEY: 're_value' },
      envFile: false,
    });
    expect(Object.keys(secrets)).toEqual(['STRIPE_SECRET_KEY', 'RESEND_API_KEY']);
    expect(secrets.RESEND_API_KEY?.reveal()).toBe('re_value');
  });

  it('reports every missing secret at once, by name and place, never by value', async () => {
    const present = 'sk_test_present_value_123';
    const error = await checkSecrets(
      [
        'STRIPE_SECRET_KEY',
        'RESEND_API_KEY',
        'SENDGRID_API_KEY',
        cachedSource(
          async () => {
            throw new Error('timeout');
          },
          { name: 'prod/doppler' },
        ),
      ],
      { env: { STRIPE_SECRET_KEY: present, SENDGRID_API_KEY: '' }, envFile: false },
    ).catch((caught) => caught);
    expect(MissingSecretError.isInstance(error)).toBe(true);
    expect(error.names).toEqual(['RESEND_API_KEY', 'SENDGRID_API_KEY', 'prod/doppler']);
    expect(error.message).toBe(
      '3 required secrets are missing: RESEND_API_KEY (environment variable, not set); ' +
        'SENDGRID_API_KEY (environment variable, empty); prod/doppler (secret source, its source failed)',
    );
    expect(JSON.stringify(error)).not.toContain(present);
  });

  it('refuses what is neither a variable name nor a source', async () => {
    await expect(checkSecrets([42 as never])).rejects.toThrow(/secrets\[0\] must be a variable name/);
    await expect(checkSecrets('A' as never)).rejects.toThrow(/secrets must be an array/);
  });
});
