/** A provider was selected but the variable that holds its API key is unset or empty. */
export class MissingApiKeyError extends Error {
  /** The environment variable to set, such as `RESEND_API_KEY`. */
  readonly variable: string;
  /** The provider that needs it. */
  readonly provider: string;

  constructor(options: { variable: string; provider: string }) {
    super(`${options.provider}: set ${options.variable} to the provider's API key (it is unset or empty)`);
    this.name = 'MissingApiKeyError';
    this.variable = options.variable;
    this.provider = options.provider;
  }
}
