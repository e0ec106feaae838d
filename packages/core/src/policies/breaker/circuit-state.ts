/**
 * The state of a circuit breaker:
 * - `closed`: calls pass and their failures are counted;
 * - `open`: calls fail fast with `CircuitOpenError` until the break duration ends;
 * - `half-open`: a limited number of probe calls pass; the rest fail fast;
 * - `isolated`: opened by hand with `isolate()`; stays open until `reset()`.
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';
