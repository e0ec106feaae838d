/**
 * Test helpers for code that uses `@resilient/core`: a clock that moves only when told to.
 * Import from `@resilient/core/testing`.
 */
export { FakeClock } from './clock/fake-clock';
export {
  type MemoryCircuitFleet,
  type MemoryCircuitFleetOptions,
  type MemoryCircuitRecord,
  memoryCircuitFleet,
} from './policies/breaker/memory-circuit-fleet';
