/** The natural keys of a `users.createUser` call that identify the user it creates. */
export interface UserNaturalKey {
  readonly externalId?: string;
  readonly emailAddress?: string;
}

/** What the look needs from a Clerk client: `users.getUserList`. */
export interface UserLookup<User> {
  readonly users: {
    getUserList(params: { externalId?: string[]; emailAddress?: string[]; limit?: number }): Promise<{
      data: User[];
    }>;
  };
}

/**
 * The natural key of `users.createUser` parameters: its `externalId`, else its first `emailAddress`,
 * or `undefined` when it has neither (such a create cannot be looked for, and is not retried after an
 * unknown outcome).
 */
export function userNaturalKey(params: unknown): UserNaturalKey | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const record = params as Record<string, unknown>;
  if (typeof record.externalId === 'string' && record.externalId !== '')
    return { externalId: record.externalId };
  const emails = record.emailAddress;
  const email = Array.isArray(emails) ? emails[0] : undefined;
  return typeof email === 'string' && email !== '' ? { emailAddress: email } : undefined;
}

/** The user an earlier attempt may have created, found by its natural key, or `undefined`. */
export async function findCreatedUser<User>(
  clerk: UserLookup<User>,
  key: UserNaturalKey,
): Promise<User | undefined> {
  const params =
    key.externalId !== undefined
      ? { externalId: [key.externalId], limit: 1 }
      : { emailAddress: [key.emailAddress ?? ''], limit: 1 };
  const { data } = await clerk.users.getUserList(params);
  return data[0];
}
