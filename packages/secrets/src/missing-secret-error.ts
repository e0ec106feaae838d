const MARKER = 'resilient.secrets.missing';

/** One secret that could not be found: where it was looked for, never a value. */
export interface MissingSecret {
  /** The secret's name: the variable, the file path, or the manager's name for it. */
  readonly name: string;
  /** Where it was looked for: `environment variable`, `file`, or a source's own description. */
  readonly where: string;
  /** Why it is missing: `not set`, `empty`, `not found`, `not readable (EACCES)`... */
  readonly reason: string;
}

/**
 * One or more secrets are missing. The message lists each by name and place, never by value; `names`
 * and `missing` give the same as data. {@link checkSecrets} throws one listing every missing secret.
 */
export class MissingSecretError extends Error {
  /** The names of the missing secrets, in the order they were asked for. */
  readonly names: readonly string[];
  /** Each missing secret with where it was looked for and why it is missing. */
  readonly missing: readonly MissingSecret[];

  constructor(missing: readonly MissingSecret[], options?: { readonly cause?: unknown }) {
    const list = missing.map((entry) => `${entry.name} (${entry.where}, ${entry.reason})`);
    const what = missing.length === 1 ? 'A required secret is' : `${missing.length} required secrets are`;
    super(`${what} missing: ${list.join('; ')}`, options);
    this.name = 'MissingSecretError';
    this.missing = Object.freeze(missing.map((entry) => Object.freeze({ ...entry })));
    this.names = Object.freeze(missing.map((entry) => entry.name));
    Object.defineProperty(this, Symbol.for(MARKER), { value: true });
  }

  /** Whether `error` is a {@link MissingSecretError}, from any copy of the package. */
  static isInstance(error: unknown): error is MissingSecretError {
    return typeof error === 'object' && error !== null && Symbol.for(MARKER) in error;
  }

  /** A JSON view for logs: the names and places, never a value. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, missing: this.missing };
  }
}
