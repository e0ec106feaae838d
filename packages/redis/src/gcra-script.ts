import type { RateLimitDecision } from '@resilient/core';
import { type GcraBucket, type GcraState, gcraEmissionMs } from './gcra';
import { LuaScript } from './lua-script';

/**
 * @internal The GCRA of `gcra.ts` in Lua, run atomically in Redis, so that every process of a fleet
 * reserves its slots from one bucket. The arithmetic is the model's, step for step: Lua numbers are
 * doubles too, so both decide alike to the last bit (the tests check it against the model).
 *
 * - `KEYS[1]`: the bucket's key, a hash of `s` (start), `n` (slots taken), `e` (emission interval), each
 *   written with `%.17g` so that the doubles survive the round trip through a string.
 * - `ARGV[1]`: the emission interval in ms; `ARGV[2]`: the burst; `ARGV[3]`: `maxWaitMs`;
 *   `ARGV[4]`: extra ms the key lives after the bucket is full again; `ARGV[5]`: now in ms, or empty for
 *   the server's clock (`TIME`), so that the hosts' clocks need not agree.
 * - Reply: `{1, waitMs, start, taken}` when allowed (start and taken as strings), `{0, retryAfterMs}`
 *   when not. Waits are integers, capped at 2^53 - 1, so Redis's integer replies carry them exactly.
 *
 * An idle key expires once the bucket is full again (plus the margin): a missing key and a full bucket
 * decide alike, so Redis keeps keys only for buckets in use.
 */
export const GCRA_SCRIPT = new LuaScript(
  'gcra',
  `local emission = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local margin = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local tolerance = 1e-6
local largest = 9007199254740991
local start = now
local taken = 0
local stored = redis.call('HMGET', KEYS[1], 's', 'n', 'e')
local stored_start = tonumber(stored[1])
local stored_taken = tonumber(stored[2])
local stored_emission = tonumber(stored[3])
if stored_start ~= nil and stored_taken ~= nil and stored_emission ~= nil then
  start = stored_start
  taken = stored_taken
  if stored_emission ~= emission then
    start = start + taken * stored_emission
    taken = 0
  end
  if start - now + taken * emission <= 0 then
    start = now
    taken = 0
  end
end
local slot = start - now + (taken + 1 - burst) * emission
local wait = 0
if slot > tolerance then
  wait = math.min(math.ceil(slot - tolerance), largest)
end
if wait > max_wait then
  return {0, wait}
end
taken = taken + 1
local start_text = string.format('%.17g', start)
local taken_text = string.format('%.17g', taken)
redis.call('HSET', KEYS[1], 's', start_text, 'n', taken_text, 'e', string.format('%.17g', emission))
local drain = math.max(0, start - now + taken * emission)
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.min(math.ceil(drain) + margin, largest)))
return {1, wait, start_text, taken_text}`,
);

/** @internal The `ARGV` of {@link GCRA_SCRIPT} for `bucket`; `now` only for tests (default: Redis's clock). */
export function gcraScriptArguments(bucket: GcraBucket, ttlMarginMs: number, now?: number): string[] {
  return [
    String(gcraEmissionMs(bucket)),
    String(bucket.burst),
    String(bucket.maxWaitMs),
    String(ttlMarginMs),
    now === undefined ? '' : String(now),
  ];
}

/** A reply of {@link GCRA_SCRIPT}, read. */
export interface GcraReply {
  readonly allowed: boolean;
  readonly waitMs: number;
  /** The state written, when allowed (the tests compare it with the model's). */
  readonly state: Omit<GcraState, 'emissionMs'> | undefined;
}

/** The most common decision, shared: a slot now. */
const GO_NOW: RateLimitDecision = Object.freeze({ allowed: true, waitMs: 0 });

/**
 * @internal Reads the decision in a reply of {@link GCRA_SCRIPT}, the per-call path: no object for the
 * common "go now", and the stored state left unread. `undefined` for anything else.
 */
export function readGcraDecision(reply: unknown): RateLimitDecision | undefined {
  if (!Array.isArray(reply)) return undefined;
  const allowed: unknown = reply[0];
  const waitMs: unknown = reply[1];
  if ((allowed !== 0 && allowed !== 1) || typeof waitMs !== 'number' || !(waitMs >= 0)) return undefined;
  if (allowed === 1 && waitMs === 0) return GO_NOW;
  return { allowed: allowed === 1, waitMs };
}

/** @internal Reads a reply of {@link GCRA_SCRIPT} with the state it stored (the tests compare it with the model's). */
export function readGcraReply(reply: unknown): GcraReply | undefined {
  const decision = readGcraDecision(reply);
  if (decision === undefined) return undefined;
  const [, , start, taken] = reply as unknown[];
  const state =
    decision.allowed && typeof start === 'string' && typeof taken === 'string'
      ? { start: Number(start), taken: Number(taken) }
      : undefined;
  return { allowed: decision.allowed, waitMs: decision.waitMs, state };
}
