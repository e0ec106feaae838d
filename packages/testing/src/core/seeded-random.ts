/** A source of numbers in `[0, 1)`, like `Math.random`. */
export type RandomNumber = () => number;

/**
 * A deterministic random source (mulberry32): the same seed gives the same sequence on every run and
 * every machine, so a test that injects faults "at random" fails the same way each time.
 */
export function seededRandom(seed: number): RandomNumber {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRandom: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
