import type { EmailAddress } from '@resilient/email';

/** An address as SendGrid's JSON has it. */
export interface SendGridAddress {
  readonly email: string;
  readonly name?: string;
}

const NAMED = /^([^<>]*)<([^<>]+)>$/;

/**
 * An address as `{ email, name? }`: `"Ada <ada@example.com>"` and `"\"Lovelace, Ada\" <ada@...>"`
 * are split here (the SDK would keep the quotes in the name), objects are trimmed.
 */
export function toSendGridAddress(address: EmailAddress): SendGridAddress {
  if (typeof address !== 'string') {
    const name = address.name?.trim();
    return name ? { email: address.email.trim(), name } : { email: address.email.trim() };
  }
  const named = NAMED.exec(address.trim());
  if (named === null) return { email: address.trim() };
  const email = named[2]!.trim();
  let name = named[1]!.trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return name ? { email, name } : { email };
}

/** One address or several, as a list. */
export function toSendGridAddresses(addresses: EmailAddress | readonly EmailAddress[]): SendGridAddress[] {
  const list: readonly EmailAddress[] = Array.isArray(addresses) ? addresses : [addresses as EmailAddress];
  return list.map(toSendGridAddress);
}
