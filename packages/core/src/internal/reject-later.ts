const settled = Promise.resolve();

/**
 * @internal A promise that rejects with `error` one microtask from now, instead of `Promise.reject` or
 * a `throw` in an async function. Node tracks every promise rejected before a handler is attached (for
 * `unhandledRejection`), and V8 pays for every `throw`; each costs more than an open breaker's whole
 * rejection. The caller attaches its handler within the microtask, and nothing is thrown.
 */
export function rejectLater(error: unknown): Promise<never> {
  let reject!: (reason: unknown) => void;
  const promise = new Promise<never>((_resolve, rejectPromise) => {
    reject = rejectPromise;
  });
  settled.then(() => reject(error));
  return promise;
}
