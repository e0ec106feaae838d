/**
 * @internal A promise that rejects with `error` one microtask from now, instead of `Promise.reject`.
 * Node tracks every promise that is rejected before a handler is attached (for `unhandledRejection`),
 * and that bookkeeping costs about a microsecond, more than an open breaker's whole rejection: the
 * caller attaches its handler within the microtask, so this promise is never tracked.
 */
export async function rejectLater(error: unknown): Promise<never> {
  await undefined;
  throw error;
}
