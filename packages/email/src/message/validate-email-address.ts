/** `local@domain`, without spaces, angle brackets or a second `@`. Loose on purpose: providers check the rest. */
const BARE_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
/** `Display Name <local@domain>`. */
const NAMED_ADDRESS = /^([^<>]*)<([^<>]+)>$/;
/** Line breaks and NUL would let a value start a new email header. */
const LINE_BREAK = /[\r\n\0]/;
/** The longest address SMTP allows. */
const MAX_ADDRESS_LENGTH = 320;

/** What an address must look like, for error messages. */
const ADDRESS_FORMAT = 'an address such as "ada@example.com", "Ada <ada@example.com>" or { email, name }';

/**
 * @internal Why `value` is not an acceptable email address, or `undefined` when it is. Accepts
 * `"ada@example.com"`, `"Ada Lovelace <ada@example.com>"` and `{ email, name? }`.
 */
export function addressProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (LINE_BREAK.test(value)) return 'must not contain line breaks';
    const text = value.trim();
    const named = NAMED_ADDRESS.exec(text);
    return bareAddressProblem(named === null ? text : named[2]!.trim());
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== 'email' && key !== 'name') return `has an unknown field "${key}"; use { email, name }`;
    }
    if (typeof record.email !== 'string') return `must be ${ADDRESS_FORMAT}`;
    if (record.name !== undefined) {
      if (typeof record.name !== 'string') return 'name must be a string';
      if (LINE_BREAK.test(record.name)) return 'name must not contain line breaks';
      if (/[<>]/.test(record.name)) return 'name must not contain "<" or ">"';
    }
    if (LINE_BREAK.test(record.email)) return 'must not contain line breaks';
    return bareAddressProblem(record.email.trim());
  }
  return `must be ${ADDRESS_FORMAT}`;
}

function bareAddressProblem(address: string): string | undefined {
  if (address.length > MAX_ADDRESS_LENGTH) return `must be at most ${MAX_ADDRESS_LENGTH} characters`;
  return BARE_ADDRESS.test(address) ? undefined : `must be ${ADDRESS_FORMAT}`;
}
