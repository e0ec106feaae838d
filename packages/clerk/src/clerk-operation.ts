/** Method names whose calls only read: repeatable after an unknown outcome. */
const READ_PREFIXES = ['get', 'list', 'verify', 'count', 'has'];

/**
 * Whether a Clerk API method can be repeated without harm: reads (`get*`, `list*`, `verify*`,
 * `count*`, `has*`) can; creates, updates, deletes and other writes cannot be assumed to (Clerk takes no
 * idempotency key), so after an unknown outcome they are not retried.
 */
export function isRepeatableClerkMethod(method: string): boolean {
  return READ_PREFIXES.some(
    (prefix) =>
      method.startsWith(prefix) &&
      (method.length === prefix.length || /[A-Z]/.test(method[prefix.length] ?? '')),
  );
}
