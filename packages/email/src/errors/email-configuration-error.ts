/**
 * The environment does not say which email providers to use, or names one that no factory builds.
 * Thrown by `createEmailClientFromEnv` at startup. Its message names variables, never their secrets.
 */
export class EmailConfigurationError extends Error {
  /** The environment variable to fix, such as `EMAIL_PROVIDERS`. */
  readonly variable: string;

  constructor(options: { variable: string; message: string }) {
    super(options.message);
    this.name = 'EmailConfigurationError';
    this.variable = options.variable;
  }
}
