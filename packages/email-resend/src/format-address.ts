import type { EmailAddress } from '@resilient/email';

/** Characters that make a display name need quotes (RFC 5322 specials). */
const SPECIALS = /[()<>[\]:;@\\,."]/;

/**
 * An address as one string, the form Resend takes: `"ada@example.com"`, `"Ada <ada@example.com>"`;
 * a name with specials (a comma, a dot...) is quoted: `"Lovelace, Ada" <ada@example.com>`.
 */
export function formatAddress(address: EmailAddress): string {
  if (typeof address === 'string') return address.trim();
  const email = address.email.trim();
  const name = address.name?.trim();
  if (!name) return email;
  const display = SPECIALS.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
  return `${display} <${email}>`;
}

/** One address or several as Resend takes them: a string, or an array of strings. */
export function formatAddresses(
  addresses: EmailAddress | readonly EmailAddress[] | undefined,
): string | string[] | undefined {
  if (addresses === undefined) return undefined;
  if (Array.isArray(addresses)) return (addresses as readonly EmailAddress[]).map(formatAddress);
  return formatAddress(addresses as EmailAddress);
}
