import { LuaScript } from './lua-script';

/**
 * The Lua scripts behind a fleet-wide circuit breaker. Each runs atomically on the Redis server, reads
 * the server's clock (`TIME`, so the hosts' clocks need not agree), and announces every change it makes
 * on the fleet's channel in the same step.
 *
 * A breaker is one hash, `<prefix>:breaker:<name>`:
 * - `state`: `closed`, `open`, `half-open` or `isolated` (a missing hash is `closed`);
 * - `openUntil`: when an open breaker is due for a probe, in server milliseconds;
 * - `opens`: openings in a row without a successful probe;
 * - `holder`, `leaseUntil`: who holds the half-open probe lease, and until when;
 * - `failures`, `failuresUntil`: failures counted across the fleet in the current window, and when it
 *   ends (`tripAfter` only);
 * - `gen`: a number that grows with every change (at least the server's clock in microseconds, so it
 *   keeps growing after the hash expired), so that members ignore news older than what they know.
 *
 * Every write sets the hash to expire: an idle breaker's state vanishes after the state TTL.
 */

/** Shared prologue: the server's time, and the breaker's fields. */
const PROLOGUE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local micros = tonumber(time[1]) * 1000000 + tonumber(time[2])
local fields = redis.call('HMGET', KEYS[1], 'state', 'openUntil', 'opens', 'holder', 'leaseUntil', 'gen')
local exists = fields[1] and true or false
local state = fields[1] or 'closed'
local openUntil = tonumber(fields[2]) or 0
local opens = tonumber(fields[3]) or 0
local holder = fields[4] or ''
local leaseUntil = tonumber(fields[5]) or 0
local gen = tonumber(fields[6]) or 0
local function str(number) return string.format('%.0f', number) end
local function nextGen() return math.max(gen + 1, micros) end
`;

/**
 * A transition a member made. KEYS: the hash. ARGV: channel, name, to, openForMs, opens, origin, ttlMs.
 * `open` is taken unless the breaker is already open or isolated (another member was first); `closed`
 * and `isolated` are always taken. Replies `{applied (1 or 0), state, openForMs, opens, gen}`: on 0, the
 * fleet's state, for the member to adopt.
 */
export const PUBLISH_SCRIPT = new LuaScript(
  'circuit-publish',
  `${PROLOGUE}
local channel, name, to, origin = ARGV[1], ARGV[2], ARGV[3], ARGV[6]
local openForMs, newOpens, ttlMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7])
if to == 'open' and (state == 'open' or state == 'isolated') then
  local remaining = 0
  if state == 'open' then remaining = math.max(0, openUntil - now) end
  return {0, state, str(remaining), str(opens), str(gen)}
end
gen = nextGen()
local dueAt = 0
if to == 'open' then dueAt = now + openForMs else openForMs = 0 end
redis.call('HSET', KEYS[1], 'state', to, 'openUntil', str(dueAt), 'opens', str(newOpens), 'holder', '', 'leaseUntil', '0', 'failures', '0', 'failuresUntil', '0', 'gen', str(gen))
redis.call('PEXPIRE', KEYS[1], ttlMs + openForMs)
redis.call('PUBLISH', channel, cjson.encode({name, to, str(openForMs), str(newOpens), origin, str(gen)}))
return {1, to, str(openForMs), str(newOpens), str(gen)}
`,
);

/**
 * A member asks for the half-open probe. KEYS: the hash. ARGV: channel, name, origin, leaseMs, ttlMs.
 * Replies `{'granted', gen}`, `{'wait', ms}` (the break or another member's lease has that long to go),
 * or `{'behind', state, openForMs, opens, gen}` when the breaker is closed or isolated: the member is
 * behind the fleet and adopts that state. A breaker Redis has no record of (a restarted, flushed or
 * evicted Redis) is not taken as closed: the member gets the probe, as its own state says it should.
 */
export const ACQUIRE_SCRIPT = new LuaScript(
  'circuit-acquire',
  `${PROLOGUE}
local channel, name, origin = ARGV[1], ARGV[2], ARGV[3]
local leaseMs, ttlMs = tonumber(ARGV[4]), tonumber(ARGV[5])
if (state == 'closed' and exists) or state == 'isolated' then
  return {'behind', state, '0', str(opens), str(gen)}
end
if state == 'open' and now < openUntil then return {'wait', str(openUntil - now)} end
if state == 'half-open' and holder ~= origin and now < leaseUntil then return {'wait', str(leaseUntil - now)} end
gen = nextGen()
redis.call('HSET', KEYS[1], 'state', 'half-open', 'holder', origin, 'leaseUntil', str(now + leaseMs), 'gen', str(gen))
redis.call('PEXPIRE', KEYS[1], ttlMs + leaseMs)
redis.call('PUBLISH', channel, cjson.encode({name, 'half-open', '0', str(opens), origin, str(gen)}))
return {'granted', str(gen)}
`,
);

/**
 * A provider failure a member counted while closed, for fleets that trip on failures spread across
 * processes. KEYS: the hash. ARGV: channel, name, failures, windowMs, openForMs, opens, ttlMs. The hash's
 * `failures` counts failures in a window of `windowMs` from the first one (`failuresUntil`, on Redis's
 * clock); every other write of the hash (a trip, a close, an isolation, a reset) sets the count back to 0.
 * At `failures` the breaker opens (with the reporter's break) and every member hears it, the reporter
 * too (the message names no origin). Only a closed breaker counts. Replies 1 when it tripped.
 */
export const FAILURE_SCRIPT = new LuaScript(
  'circuit-failure',
  `${PROLOGUE}
local channel, name = ARGV[1], ARGV[2]
local failures, windowMs, openForMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local newOpens, ttlMs = tonumber(ARGV[6]), tonumber(ARGV[7])
if state ~= 'closed' then return 0 end
local window = redis.call('HMGET', KEYS[1], 'failures', 'failuresUntil')
local count = tonumber(window[1]) or 0
local windowEnds = tonumber(window[2]) or 0
if now >= windowEnds then
  count = 0
  windowEnds = now + windowMs
end
count = count + 1
if count < failures then
  redis.call('HSET', KEYS[1], 'failures', str(count), 'failuresUntil', str(windowEnds))
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ttlMs) end
  return 0
end
gen = nextGen()
redis.call('HSET', KEYS[1], 'state', 'open', 'openUntil', str(now + openForMs), 'opens', str(newOpens), 'holder', '', 'leaseUntil', '0', 'failures', '0', 'failuresUntil', '0', 'gen', str(gen))
redis.call('PEXPIRE', KEYS[1], ttlMs + openForMs)
redis.call('PUBLISH', channel, cjson.encode({name, 'open', str(openForMs), str(newOpens), '', str(gen)}))
return 1
`,
);

/**
 * Reads breakers' states, for members that (re)joined. KEYS: the hashes. Replies one
 * `{state, openForMs, opens, gen}` per key.
 */
export const READ_SCRIPT = new LuaScript(
  'circuit-read',
  `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local replies = {}
for index, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'state', 'openUntil', 'opens', 'gen')
  local state = fields[1] or 'closed'
  local remaining = 0
  if state == 'open' then remaining = math.max(0, (tonumber(fields[2]) or 0) - now) end
  replies[index] = {state, string.format('%.0f', remaining), fields[3] or '0', fields[4] or '0'}
end
return replies
`,
);
