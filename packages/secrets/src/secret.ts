const MARKER = Symbol.for('resilient.secret');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The longest name a secret may have: it is printed in every redacted form. */
const MAX_NAME_LENGTH = 200;

/** Options of {@link secret} and {@link Secret.from}. */
export interface SecretOptions {
  /** What the secret is, printed in its redacted form: `RESEND_API_KEY` prints as `[secret RESEND_API_KEY]`. */
  readonly name: string;
}

/**
 * A credential that never prints itself. `String(key)`, `${key}`, `JSON.stringify(key)`,
 * `util.inspect(key)` and `console.log(key)` all give `[secret NAME]`; only {@link Secret.reveal} gives
 * the value, for the one place that sends it (an adapter's `Authorization` header).
 *
 * @example
 * const key = secret(process.env.RESEND_API_KEY!, { name: 'RESEND_API_KEY' });
 * console.log(`using ${key}`); // using [secret RESEND_API_KEY]
 */
export class Secret {
  /** What the secret is: `RESEND_API_KEY`, `/run/secrets/resend_api_key`. */
  readonly name: string;
  readonly #value: string;

  /** Prefer {@link secret} or {@link Secret.from}. */
  constructor(value: string, options: SecretOptions) {
    if (typeof options !== 'object' || options === null || typeof options.name !== 'string') {
      throw new TypeError(
        'secret: options.name must be a string naming the secret, such as "RESEND_API_KEY"',
      );
    }
    const name = options.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH || /[\r\n]/.test(name)) {
      throw new RangeError(
        `secret: options.name must be 1 to ${MAX_NAME_LENGTH} characters on one line; got ${options.name.length} characters`,
      );
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TypeError(`secret: the value of ${name} must be a non-empty string`);
    }
    this.name = name;
    this.#value = value;
    Object.defineProperty(this, MARKER, { value: true });
    Object.freeze(this);
  }

  /** A secret from a string (named by `options.name`), or the same secret when given one. */
  static from(value: string | Secret, options: SecretOptions): Secret {
    return isSecret(value) ? value : new Secret(value, options);
  }

  /** Whether `value` is a `Secret`, from this copy of the package or another. */
  static isInstance(value: unknown): value is Secret {
    return isSecret(value);
  }

  /** The value itself. Call it only where the credential is sent; never log what it returns. */
  reveal(): string {
    return this.#value;
  }

  /** Whether `other` holds the same value, compared in time independent of where they differ. */
  equals(other: Secret): boolean {
    const mine = this.#value;
    const theirs = other.reveal();
    let difference = mine.length ^ theirs.length;
    for (let index = 0; index < mine.length; index++) {
      difference |= mine.charCodeAt(index) ^ theirs.charCodeAt(index % Math.max(1, theirs.length));
    }
    return difference === 0;
  }

  /** The redacted form: `[secret NAME]`. */
  toString(): string {
    return `[secret ${this.name}]`;
  }

  /** `JSON.stringify` gives the redacted form. */
  toJSON(): string {
    return this.toString();
  }

  /** Template strings and `+` give the redacted form. */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /** `util.inspect` and `console.log` give the redacted form. */
  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * Wraps a credential in a {@link Secret} named `options.name`.
 *
 * @example
 * const key = secret('re_123', { name: 'RESEND_API_KEY' });
 * String(key); // '[secret RESEND_API_KEY]'
 * key.reveal(); // 're_123'
 */
export function secret(value: string, options: SecretOptions): Secret {
  return new Secret(value, options);
}

/** Whether `value` is a {@link Secret} from any copy of this package (checked by a `Symbol.for` marker). */
export function isSecret(value: unknown): value is Secret {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return MARKER in value && typeof (value as { reveal?: unknown }).reveal === 'function';
  } catch {
    return false;
  }
}
