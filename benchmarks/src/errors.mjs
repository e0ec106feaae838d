// Failures the scenarios throw, each created once, outside every measured loop.

/** A 503: @resilient/core classifies it as `unavailable` (retryable, a provider failure, outcome `failed`). */
export const unavailable = Object.assign(new Error('service unavailable'), { status: 503 });

/** An async function that always rejects with the 503 above. */
export const failing = async () => {
  throw unavailable;
};
