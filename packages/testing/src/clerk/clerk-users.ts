import { randomBytes } from 'node:crypto';

/** A user the fake Clerk holds, in the Backend API's JSON shape (snake_case). */
export interface FakeClerkUser {
  readonly id: string;
  readonly object: 'user';
  readonly external_id: string | null;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly primary_email_address_id: string | null;
  readonly email_addresses: readonly {
    readonly id: string;
    readonly object: 'email_address';
    readonly email_address: string;
    readonly verification: null;
    readonly linked_to: readonly never[];
  }[];
  readonly public_metadata: Record<string, unknown>;
  readonly private_metadata: Record<string, unknown>;
  readonly unsafe_metadata: Record<string, unknown>;
  readonly created_at: number;
  readonly updated_at: number;
}

/** Why a user could not be created: Clerk's error code and the parameter at fault. */
export class ClerkUserError extends Error {
  constructor(
    readonly code: 'form_identifier_exists' | 'form_param_missing' | 'resource_not_found',
    readonly paramName?: string,
  ) {
    super(code);
  }
}

/** The users of the fake Clerk: create (unique email and external id), find, list with filters, delete. */
export class ClerkUserStore {
  readonly users: FakeClerkUser[] = [];

  constructor(private readonly now: () => number) {}

  create(body: Record<string, unknown>): FakeClerkUser {
    const emails = Array.isArray(body.email_address)
      ? body.email_address.filter((value): value is string => typeof value === 'string')
      : [];
    const externalId = typeof body.external_id === 'string' ? body.external_id : null;
    if (emails.length === 0 && externalId === null)
      throw new ClerkUserError('form_param_missing', 'email_address');
    for (const email of emails)
      if (this.users.some((user) => user.email_addresses.some((e) => e.email_address === email)))
        throw new ClerkUserError('form_identifier_exists', 'email_address');
    if (externalId !== null && this.users.some((user) => user.external_id === externalId))
      throw new ClerkUserError('form_identifier_exists', 'external_id');
    const addresses = emails.map((email) => ({
      id: `idn_${randomId()}`,
      object: 'email_address' as const,
      email_address: email,
      verification: null,
      linked_to: [] as never[],
    }));
    const time = this.now();
    const user: FakeClerkUser = {
      id: `user_${randomId()}`,
      object: 'user',
      external_id: externalId,
      first_name: typeof body.first_name === 'string' ? body.first_name : null,
      last_name: typeof body.last_name === 'string' ? body.last_name : null,
      primary_email_address_id: addresses[0]?.id ?? null,
      email_addresses: addresses,
      public_metadata: objectOr(body.public_metadata),
      private_metadata: objectOr(body.private_metadata),
      unsafe_metadata: objectOr(body.unsafe_metadata),
      created_at: time,
      updated_at: time,
    };
    this.users.push(user);
    return user;
  }

  find(id: string): FakeClerkUser {
    const user = this.users.find((candidate) => candidate.id === id);
    if (user === undefined) throw new ClerkUserError('resource_not_found');
    return user;
  }

  delete(id: string): { id: string; object: 'user'; deleted: true } {
    const index = this.users.findIndex((candidate) => candidate.id === id);
    if (index < 0) throw new ClerkUserError('resource_not_found');
    this.users.splice(index, 1);
    return { id, object: 'user', deleted: true };
  }

  /** The users matching the `email_address` and `external_id` filters (any of each), newest first. */
  filter(query: URLSearchParams): FakeClerkUser[] {
    const emails = query.getAll('email_address');
    const externalIds = query.getAll('external_id');
    return this.users
      .filter(
        (user) =>
          (emails.length === 0 || user.email_addresses.some((e) => emails.includes(e.email_address))) &&
          (externalIds.length === 0 || (user.external_id !== null && externalIds.includes(user.external_id))),
      )
      .reverse();
  }

  clear(): void {
    this.users.length = 0;
  }
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function randomId(): string {
  return randomBytes(12).toString('hex');
}
