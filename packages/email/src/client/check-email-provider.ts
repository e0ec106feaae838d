import type { EmailProvider } from '../email-provider';

/** A provider name: no spaces, as it names a breaker, metrics and errors. */
const PROVIDER_NAME = /^[^\s]+$/;

/** @internal Checks the `providers` option: at least one provider, each complete, with unique names. */
export function checkEmailProviders(value: unknown): readonly EmailProvider[] {
  if (!Array.isArray(value))
    throw new TypeError('createEmailClient: providers must be an array of email providers, first preferred');
  if (value.length === 0)
    throw new RangeError('createEmailClient: providers must list at least one provider');
  const names = new Set<string>();
  value.forEach((provider: unknown, index) => {
    checkEmailProvider(provider, `createEmailClient: providers[${index}]`);
    if (names.has(provider.name))
      throw new RangeError(
        `createEmailClient: providers lists "${provider.name}" twice; each provider needs its own name, as it names its breaker`,
      );
    names.add(provider.name);
  });
  return Object.freeze([...value]);
}

/** @internal Throws a `TypeError` naming what `value` lacks to be an {@link EmailProvider}. */
export function checkEmailProvider(value: unknown, where: string): asserts value is EmailProvider {
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`${where} must be an email provider with name, capabilities and send`);
  const provider = value as Partial<Record<keyof EmailProvider, unknown>>;
  if (typeof provider.name !== 'string' || !PROVIDER_NAME.test(provider.name))
    throw new TypeError(`${where}.name must be a non-empty string without spaces, such as "resend"`);
  const capabilities = provider.capabilities as Record<string, unknown> | undefined;
  if (
    typeof capabilities !== 'object' ||
    capabilities === null ||
    typeof capabilities.idempotencyKeys !== 'boolean' ||
    typeof capabilities.batch !== 'boolean'
  )
    throw new TypeError(`${where}.capabilities must be { idempotencyKeys: boolean, batch: boolean }`);
  if (typeof provider.send !== 'function') throw new TypeError(`${where}.send must be a function`);
  if (capabilities.batch && typeof provider.sendBatch !== 'function')
    throw new TypeError(`${where}.sendBatch must be a function, since capabilities.batch is true`);
}
