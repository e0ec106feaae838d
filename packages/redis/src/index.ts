// A fleet on Redis for @resilient/core's rate limiter and circuit breaker
export { type RedisFleet, type RedisFleetOptions, redisFleet } from './redis-fleet';
export type { RedisFleetEvent } from './redis-fleet-event';
