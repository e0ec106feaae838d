/** Test helpers shared by the core suites. */

/** An error shaped like the ones provider SDKs throw for an HTTP status. */
export function httpError(status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, ...extra });
}

/** An error shaped like a Node or undici network failure. */
export function networkError(code: string): Error {
  return Object.assign(new Error(`network failure ${code}`), { code });
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: any };

/** Observes a promise without letting its rejection go unhandled. */
export function settle<T>(
  promise: Promise<T>,
): Promise<Settled<T>> & { settled: () => Settled<T> | undefined } {
  let result: Settled<T> | undefined;
  const observed = promise.then(
    (value) => (result = { ok: true, value }),
    (error: unknown) => (result = { ok: false, error }),
  ) as Promise<Settled<T>> & { settled: () => Settled<T> | undefined };
  observed.settled = () => result;
  return observed;
}

/** A function that fails with the given errors in turn, then returns `value`; counts its calls. */
export function scripted<T>(failures: unknown[], value: T) {
  const calls: { attempt: number; idempotencyKey: string | undefined }[] = [];
  const fn = async (context: { attempt: number; idempotencyKey: string | undefined }) => {
    calls.push({ attempt: context.attempt, idempotencyKey: context.idempotencyKey });
    const failure = failures[calls.length - 1];
    if (failure !== undefined) throw failure;
    return value;
  };
  return { fn, calls };
}

/** A promise that never settles. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
