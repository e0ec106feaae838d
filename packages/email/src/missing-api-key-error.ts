/** One selected provider whose API key the environment does not give. */
export interface MissingApiKey {
  /** The environment variable to set, such as `RESEND_API_KEY` (or `RESEND_API_KEY_FILE`, naming a file). */
  readonly variable: string;
  /** The provider that needs it. */
  readonly provider: string;
  /** Why it is missing: `it is unset or empty`, or what is wrong with the file `<variable>_FILE` names. */
  readonly reason: string;
}

/**
 * Selected providers whose API keys are missing: the variable unset or empty, and no readable,
 * non-empty file named by `<variable>_FILE`. One error lists every missing key, by variable name and
 * never by value. `variable` and `provider` are the first one's.
 */
export class MissingApiKeyError extends Error {
  /** The first missing key's environment variable, such as `RESEND_API_KEY`. */
  readonly variable: string;
  /** The provider that needs it. */
  readonly provider: string;
  /** Every missing key, in the order the providers were selected. */
  readonly missing: readonly MissingApiKey[];

  constructor(options: { readonly missing: readonly MissingApiKey[] } | Omit<MissingApiKey, 'reason'>) {
    const missing: readonly MissingApiKey[] =
      'missing' in options ? options.missing : [{ ...options, reason: 'it is unset or empty' }];
    const first = missing[0];
    if (first === undefined) throw new TypeError('MissingApiKeyError: list at least one missing key');
    const lines = missing.map(
      (entry) =>
        `${entry.provider}: set ${entry.variable} to the provider's API key, or ${entry.variable}_FILE to a file holding it (${entry.reason})`,
    );
    super(lines.length === 1 ? lines[0] : `${lines.length} API keys are missing: ${lines.join('; ')}`);
    this.name = 'MissingApiKeyError';
    this.variable = first.variable;
    this.provider = first.provider;
    this.missing = Object.freeze([...missing]);
  }

  /** The variables of every missing key, such as `['RESEND_API_KEY', 'SENDGRID_API_KEY']`. */
  get variables(): readonly string[] {
    return this.missing.map((entry) => entry.variable);
  }
}
