// I. Fleet state in Redis: what @resilient/redis's fleet costs a call, on loopback, against a
// `redis-server` child process started here. Not a ratio to the bare call: it has its own runner.
//
// 1. Round trips per call, counted on the server: INFO commandstats before and after N calls (every
//    command the server ran, those inside Lua scripts included), and the SLOWLOG with
//    `slowlog-log-slower-than 0`, which names the client of every command: a command sent by a client is
//    a round trip, one run by a script (client `?:0`) is not. The two counts must agree.
// 2. Latency per call (median, p99), next to one `redis.ping()` on the same client and a bare `await fn()`.
// 3. Propagation: from process A's breaker opening to process B's breaker (another Node process, with its
//    own client and fleet; and a second B in A's process) receiving its `open` state change.
// 4. Dead Redis: the server killed, calls through resilient() with a fleet breaker and rate limiter.
//
// Every figure is refused (no figure, the reason instead) unless its subject did the work it claims.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { circuitBreaker, RejectedError, rateLimiter, resilient } from '@resilient/core';
import { startRedisServer } from '@resilient/testing';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { failing } from '../errors.mjs';
import { expect, fn, noop, rejection, VerificationError } from '../harness.mjs';

const BINARY = 'redis-server';
const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
const installed = probe.status === 0;

function versions() {
  const of = (name) => {
    try {
      const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
      return JSON.parse(readFileSync(url, 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    'redis-server': /v=(\S+)/.exec(probe.stdout ?? '')?.[1] ?? 'unknown',
    '@resilient/redis': of('@resilient/redis'),
    ioredis: of('ioredis'),
    'rate-limiter-flexible': of('rate-limiter-flexible'),
  };
}

const SETTINGS = {
  quick: { warmup: 5, countCalls: 10, latencyCalls: 30, cycles: 2, trips: 3, pingsPerTrip: 3, deadCalls: 20 },
  full: {
    warmup: 300,
    countCalls: 500,
    latencyCalls: 3000,
    cycles: 20,
    trips: 20,
    pingsPerTrip: 10,
    deadCalls: 1000,
  },
};

const START_DEADLINE_MS = 10_000;
/**
 * Longest wait for anything the fleet pushes (a state change seen by the other process): only a hang
 * takes this long, never a slow machine.
 */
const EVENT_DEADLINE_MS = 5_000;
const METER = 'bench-i-meter';
const CHANNEL = 'resilient:breaker';
/** A limit no run comes near: the fleet's limiter never makes a call wait. */
const HIGH_LIMIT = 1_000_000;
/** The transition cycle's fixed break. */
const BREAK_MS = 30;
const DEAD_TIMEOUT_MS = 100;
const DEAD_RECHECK_MS = 10_000;
const TRANSITION = 'breaker transition (cycles of trip, probe lease, close)';
const PROPAGATION = 'a trip in A seen by B in another process';
const DEAD = 'resilient(), fleet breaker + rate limiter, Redis killed';
/** Commands only the meter sends: left out of every count. */
const meterOnly = (command) =>
  command === 'info' || command.startsWith('slowlog|') || command.startsWith('config|');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const collect = () => globalThis.gc?.();

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Awaits `promise`, or throws a VerificationError after `ms`: nothing in this scenario may hang. */
function within(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new VerificationError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------
// The server and the clients.

/** An ioredis client named `name` (the SLOWLOG shows the name), connected. */
async function connect(port, name) {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    connectionName: name,
    lazyConnect: true,
    retryStrategy: () => 50,
  });
  client.on('error', noop);
  await client.connect();
  return client;
}

// ---------------------------------------------------------------------------------------------------
// Counting on the server.

function commandstats(text) {
  const calls = new Map();
  for (const line of text.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

const tally = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Runs `work` between two INFO commandstats and with every command logged in the SLOWLOG. Returns the
 * commands clients sent (round trips) and those Lua scripts ran, by command; throws if the two sources
 * disagree (a command the SLOWLOG missed, say).
 */
async function countCommands(meter, work) {
  await meter.config('SET', 'slowlog-max-len', '1000000');
  await meter.config('SET', 'slowlog-log-slower-than', '0');
  await meter.call('SLOWLOG', 'RESET');
  const before = commandstats(await meter.info('commandstats'));
  try {
    await work();
  } finally {
    await meter.config('SET', 'slowlog-log-slower-than', '-1').catch(noop);
  }
  const after = commandstats(await meter.info('commandstats'));
  const log = await meter.call('SLOWLOG', 'GET', '-1');
  await meter.call('SLOWLOG', 'RESET');
  let statsTotal = 0;
  for (const [command, calls] of after) {
    if (!meterOnly(command)) statsTotal += calls - (before.get(command) ?? 0);
  }
  const sent = new Map();
  const inScripts = new Map();
  /** The server's time for the clients' commands (a script's includes the commands it ran), in µs. */
  let serverUs = 0;
  for (const [, , us, args, addr, name] of log.reverse()) {
    if (name === METER) continue;
    const command = String(args[0]).toLowerCase();
    // A client's command carries its address; a script's runs on the fake Lua client (`?:0`).
    if (/^[\d.]+:\d+$/.test(String(addr))) {
      tally(sent, command);
      serverUs += Number(us);
    } else {
      tally(inScripts, command);
    }
  }
  const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
  const logged = sum(sent) + sum(inScripts);
  if (logged !== statsTotal) {
    throw new VerificationError(
      `server count disagrees: commandstats ran ${statsTotal} commands, the slowlog logged ${logged}`,
    );
  }
  return { sent, inScripts, roundTrips: sum(sent), commands: statsTotal, serverUs };
}

/** Waits until both fleets' subscribers listen and no catch-up read is in flight. */
async function settle(ctx, fleets = 2) {
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (;;) {
    const [, subscribers] = await ctx.meter.call('PUBSUB', 'NUMSUB', CHANNEL);
    if (Number(subscribers) >= fleets) break;
    if (Date.now() > deadline) throw new VerificationError('the fleets never subscribed to their channel');
    await sleep(5);
  }
  await sleep(20);
  await ctx.clientA.ping();
  await ctx.clientB.ping();
}

// ---------------------------------------------------------------------------------------------------
// Latency.

async function sample(run, n) {
  collect();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times[i] = performance.now() - t0;
  }
  times.sort();
  return { medianUs: quantile(times, 0.5) * 1e3, p99Us: quantile(times, 0.99) * 1e3 };
}

/**
 * Watches `breaker`: the function returned resolves with its next state change to `to`, stamped on
 * arrival (`process.hrtime.bigint()`, the system's monotonic clock), and rejects after the deadline.
 */
function watch(breaker) {
  let waiting;
  breaker.onStateChange((event) => {
    const at = process.hrtime.bigint();
    if (waiting !== undefined && event.to === waiting.to) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve({ at, event });
    }
  });
  return (to, what) =>
    within(
      new Promise((resolve) => {
        waiting = { to, resolve };
      }),
      EVENT_DEADLINE_MS,
      `${what}: the other process's breaker never turned ${to}`,
    );
}

/** A trip in A is seen by B (its twin in the other fleet), and A's reset closes B again. */
async function expectShared(a, b, name) {
  const seen = watch(b);
  expect(a.state === 'closed' && b.state === 'closed', `${name}: both breakers must be closed`);
  const isolated = seen('isolated', name);
  a.isolate();
  await isolated;
  const closed = seen('closed', name);
  a.reset();
  await closed;
}

async function expectKeyWithTtl(meter, key, type, name) {
  const [actual, ttl] = await Promise.all([meter.type(key), meter.pttl(key)]);
  expect(actual === type, `${name}: key ${key} must be a ${type} in Redis, is ${actual}`);
  expect(ttl > 0, `${name}: key ${key} must expire, its PTTL is ${ttl}`);
}

// ---------------------------------------------------------------------------------------------------
// The subjects of parts 1 and 2: each verified, counted, timed, and checked again.

const SUBJECTS = [
  {
    key: 'I.breaker',
    name: 'resilient(), fleet breaker (closed)',
    design: 0,
    setup(ctx) {
      const service = 'bench-i-breaker';
      const a = resilient({ service, circuitBreaker: { fleet: ctx.fleetA } });
      const b = resilient({ service, circuitBreaker: { fleet: ctx.fleetB } });
      return {
        run: () => a.execute(fn),
        accepts: (value) => value === 42,
        async verify() {
          expect(a.breaker.state === 'closed', 'resilient(): the fleet breaker must be closed');
          expect((await a.execute(fn)) === 42, 'resilient() must resolve with 42');
        },
        async check() {
          await expectShared(a.breaker, b.breaker, 'resilient() fleet breaker');
        },
        dispose() {
          a.breaker.dispose();
          b.breaker.dispose();
        },
      };
    },
  },
  {
    key: 'I.rate',
    name: 'rateLimiter({ fleet }), never waits',
    design: 1,
    setup(ctx) {
      const name = 'bench-i-rate';
      const limiter = rateLimiter({ name, limit: HIGH_LIMIT, intervalMs: 1_000, fleet: ctx.fleetA });
      return {
        run: () => limiter.execute(fn),
        accepts: (value) => value === 42,
        async verify() {
          expect((await limiter.execute(fn)) === 42, 'rateLimiter must resolve with 42');
          await expectSharedBucket(ctx);
        },
        async check() {
          expect(ctx.fleetA.available, 'rateLimiter: the fleet must still reach Redis');
          await expectKeyWithTtl(ctx.meter, `resilient:rate:${name}`, 'hash', 'rateLimiter');
        },
      };
    },
  },
  {
    key: 'I.both',
    name: 'resilient(), fleet breaker + fleet rate limiter',
    design: 1,
    setup(ctx) {
      const service = 'bench-i-both';
      const options = (fleet) => ({
        service,
        circuitBreaker: { fleet },
        rateLimit: { limit: HIGH_LIMIT, fleet },
      });
      const a = resilient(options(ctx.fleetA));
      const b = resilient(options(ctx.fleetB));
      return {
        run: () => a.execute(fn),
        accepts: (value) => value === 42,
        async verify() {
          expect(a.rateLimiter !== undefined && a.breaker !== undefined, 'both policies must be there');
          expect((await a.execute(fn)) === 42, 'resilient() must resolve with 42');
        },
        async check() {
          await expectKeyWithTtl(ctx.meter, `resilient:rate:${service}`, 'hash', 'resilient() rate limit');
          await expectShared(a.breaker, b.breaker, 'resilient() fleet breaker');
        },
        dispose() {
          a.breaker.dispose();
          b.breaker.dispose();
        },
      };
    },
  },
  {
    key: 'I.rlf',
    name: 'rate-limiter-flexible RateLimiterRedis.consume',
    design: undefined,
    setup(ctx) {
      const limiter = new RateLimiterRedis({
        storeClient: ctx.clientA,
        keyPrefix: 'bench-i-rlf',
        points: 1_000_000_000,
        duration: 1,
      });
      return {
        run: () => limiter.consume('k'),
        accepts: (res) => res?.consumedPoints >= 1 && res.remainingPoints > 0,
        async verify() {
          const first = await limiter.consume('k');
          const second = await limiter.consume('k');
          expect(
            second.consumedPoints === first.consumedPoints + 1 || second.consumedPoints === 1,
            `rate-limiter-flexible: consume must count, got ${first.consumedPoints} then ${second.consumedPoints}`,
          );
        },
        async check() {
          await expectKeyWithTtl(ctx.meter, 'bench-i-rlf:k', 'string', 'rate-limiter-flexible');
        },
      };
    },
  },
];

/** Two processes' limiters of one name share one bucket: A takes the burst of 2, B's call is refused. */
async function expectSharedBucket(ctx) {
  const options = { name: 'bench-i-shared', limit: 2, intervalMs: 60_000, burst: 2 };
  const a = rateLimiter({ ...options, fleet: ctx.fleetA });
  const b = rateLimiter({ ...options, fleet: ctx.fleetB });
  expect((await a.execute(fn)) === 42 && (await a.execute(fn)) === 42, 'shared bucket: 2 calls must pass');
  const error = await rejection(b.execute(fn), 'shared bucket: the third call, from B');
  expect(
    RejectedError.isInstance(error) && error.kind === 'rate-limiter-rejected',
    `shared bucket: B's call must be refused by the rate limiter, got ${error?.name}: ${error?.message}`,
  );
}

async function measureSubject(subject, ctx, settings) {
  const context = await subject.setup(ctx);
  try {
    await context.verify();
    for (let i = 0; i < settings.warmup; i++) await context.run();
    await settle(ctx);
    let wrong = 0;
    const count = await countCommands(ctx.meter, async () => {
      for (let i = 0; i < settings.countCalls; i++) if (!context.accepts(await context.run())) wrong++;
    });
    expect(wrong === 0, `${subject.name}: ${wrong} of ${settings.countCalls} calls answered wrong`);
    const ping = await sample(() => ctx.clientA.ping(), settings.latencyCalls);
    const latency = await sample(context.run, settings.latencyCalls);
    await context.check();
    return {
      key: subject.key,
      name: subject.name,
      design: subject.design,
      calls: settings.countCalls,
      roundTripsPerCall: count.roundTrips / settings.countCalls,
      commandsPerCall: count.commands / settings.countCalls,
      serverUsPerCall: round(count.serverUs / settings.countCalls),
      sent: Object.fromEntries(count.sent),
      inScripts: Object.fromEntries(count.inScripts),
      latency: {
        calls: settings.latencyCalls,
        medianUs: round(latency.medianUs),
        p99Us: round(latency.p99Us),
        pingMedianUs: round(ping.medianUs),
        inPings: round(latency.medianUs / ping.medianUs, 2),
      },
    };
  } finally {
    context.dispose?.();
  }
}

// ---------------------------------------------------------------------------------------------------
// A breaker's transitions: trip, then the probe that closes it, with a twin in the other process.

async function transitionCost(ctx, settings) {
  const name = 'bench-i-transition';
  const options = { name, strategy: { type: 'consecutive', threshold: 3 }, breakDuration: BREAK_MS };
  const a = circuitBreaker({ ...options, fleet: ctx.fleetA });
  const b = circuitBreaker({ ...options, fleet: ctx.fleetB });
  const seenByB = watch(b);
  const aMoves = [];
  const bMoves = [];
  a.onStateChange((event) => aMoves.push(`${event.from}>${event.to}`));
  b.onStateChange((event) => bMoves.push(`${event.from}>${event.to}${event.fromFleet ? '' : ' (local!)'}`));
  const cycle = async () => {
    const opened = seenByB('open', 'transition');
    for (let i = 0; i < 3; i++) await a.execute(failing).then(noop, noop);
    expect(a.state === 'open', `transition: A must be open after 3 failures, is ${a.state}`);
    await opened;
    // The fleet's break started when its script ran, before B heard of it: wait it out from then.
    await sleep(BREAK_MS + 5);
    const closed = seenByB('closed', 'transition');
    const value = await a.execute(fn).catch((error) => error);
    expect(value === 42, `transition: the probe must pass and close A, got ${value?.message ?? value}`);
    expect(a.state === 'closed', `transition: the probe must close A, A is ${a.state}`);
    await closed;
  };
  try {
    await cycle(); // warm: the scripts are cached on the server
    await settle(ctx);
    aMoves.length = 0;
    bMoves.length = 0;
    const count = await countCommands(ctx.meter, async () => {
      for (let i = 0; i < settings.cycles; i++) await cycle();
    });
    const aCycle = ['closed>open', 'open>half-open', 'half-open>closed'];
    const bCycle = ['closed>open', 'open>closed'];
    expect(
      aMoves.join() === Array(settings.cycles).fill(aCycle).flat().join(),
      `transition: A must go ${aCycle.join(', ')} each cycle, went ${aMoves.join(', ')}`,
    );
    expect(
      bMoves.join() === Array(settings.cycles).fill(bCycle).flat().join(),
      `transition: B must follow A (open, closed) from the fleet each cycle, went ${bMoves.join(', ')}`,
    );
    const transitions = settings.cycles * aCycle.length;
    return {
      key: 'I.transition',
      name: TRANSITION,
      design: 1,
      calls: transitions,
      unit: 'transition',
      cycles: settings.cycles,
      roundTripsPerCycle: count.roundTrips / settings.cycles,
      roundTripsPerCall: count.roundTrips / transitions,
      commandsPerCall: count.commands / transitions,
      serverUsPerCall: round(count.serverUs / transitions),
      sent: Object.fromEntries(count.sent),
      inScripts: Object.fromEntries(count.inScripts),
    };
  } finally {
    a.dispose();
    b.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// Propagation: A opens, B hears of it. B is a breaker in another Node process (this module, started
// with BENCH_I_CHILD_PORT), and a second one in this process; each stamps the moment its `open` state
// change arrives with `process.hrtime.bigint()`, the system's monotonic clock, so the stamps of both
// processes compare.

const PROPAGATION_BREAKER = {
  name: 'bench-i-propagation',
  strategy: { type: 'consecutive', threshold: 1 },
  breakDuration: 600_000,
};

/** The other process: a client, a fleet and the breaker; it reports every state change over IPC. */
async function childProcessB(port) {
  process.on('disconnect', () => process.exit(0));
  const { redisFleet } = await import('@resilient/redis');
  const client = await connect(port, 'bench-i-child');
  const fleet = redisFleet({ redis: client });
  const breaker = circuitBreaker({ ...PROPAGATION_BREAKER, fleet });
  breaker.onStateChange((event) => {
    const at = process.hrtime.bigint();
    process.send({ to: event.to, fromFleet: event.fromFleet === true, at: String(at) });
  });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    breaker.dispose();
    await fleet.close();
    client.disconnect();
    process.disconnect();
  });
  process.send({ to: 'ready' });
}

/** Starts the other process; `next(to)` resolves with its next change to `to`, `stop()` ends it. */
function startProcessB(port) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_I_CHILD_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      waiting?.reject(new VerificationError(`the other process exited (${code ?? signal})`));
      resolve();
    }),
  );
  child.on('message', (message) => {
    if (waiting !== undefined && message.to === waiting.to) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve({ ...message, at: message.at === undefined ? undefined : BigInt(message.at) });
    }
  });
  const next = (to, what, ms = EVENT_DEADLINE_MS) =>
    within(
      new Promise((resolve, reject) => {
        waiting = { to, resolve, reject };
      }),
      ms,
      `${what}: the breaker in the other process never turned ${to}`,
    );
  return {
    ready: next('ready', 'propagation', START_DEADLINE_MS),
    next,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      await within(exited, 2_000, 'the other process').catch(() => child.kill('SIGKILL'));
    },
  };
}

async function propagation(ctx, port, settings) {
  let openedAt = 0n;
  // The moment A's state becomes open: the breaker publishes right after setting it.
  const stamping = {
    joinCircuit(circuit, onChange, options) {
      const member = ctx.fleetA.joinCircuit(circuit, onChange, options);
      return {
        publish(state) {
          if (state.state === 'open') openedAt = process.hrtime.bigint();
          member.publish(state);
        },
        acquireProbe: () => member.acquireProbe(),
        leave: () => member.leave(),
      };
    },
  };
  const a = circuitBreaker({ ...PROPAGATION_BREAKER, fleet: stamping });
  const b = circuitBreaker({ ...PROPAGATION_BREAKER, fleet: ctx.fleetB });
  const seenHere = watch(b);
  const other = startProcessB(port);
  const us = (at) => Number(at - openedAt) / 1e3;
  /** One trip of A, seen in both; then A's reset, seen in both too. Resolves with the two delays. */
  const trip = async () => {
    const inOther = other.next('open', 'propagation');
    const inHere = seenHere('open', 'propagation');
    openedAt = 0n;
    await a.execute(failing).then(noop, noop);
    expect(a.state === 'open' && openedAt > 0n, `propagation: A must open, is ${a.state}`);
    const [there, here] = await Promise.all([inOther, inHere]);
    expect(
      there.fromFleet && here.event.fromFleet === true,
      'propagation: both B breakers must learn of the trip from the fleet',
    );
    const delays = { other: us(there.at), here: us(here.at) };
    const closed = Promise.all([other.next('closed', 'propagation'), seenHere('closed', 'propagation')]);
    a.reset();
    await closed;
    return delays;
  };
  const ping = async () => {
    const t0 = performance.now();
    await ctx.clientA.ping();
    return (performance.now() - t0) * 1e3;
  };
  const delays = [];
  const pings = [];
  const idlePings = [];
  try {
    await other.ready;
    await settle(ctx, 3);
    await trip(); // warm: the script is cached on the server
    for (let i = 0; i < settings.trips; i++) {
      delays.push(await trip());
      // Back to back, as in the latency table; and each after 2 ms of idling, as B idles before a trip.
      for (let j = 0; j < settings.pingsPerTrip; j++) pings.push(await ping());
      for (let j = 0; j < settings.pingsPerTrip; j++) {
        await sleep(2);
        idlePings.push(await ping());
      }
    }
    const otherUs = delays.map((d) => d.other);
    const medianUs = median(otherUs);
    const hereUs = median(delays.map((d) => d.here));
    const pingMedianUs = median(pings);
    const idlePingMedianUs = median(idlePings);
    return {
      key: 'I.propagation',
      name: PROPAGATION,
      trips: settings.trips,
      medianUs: round(medianUs),
      maxUs: round(Math.max(...otherUs)),
      pingMedianUs: round(pingMedianUs),
      inPings: round(medianUs / pingMedianUs, 2),
      idlePingMedianUs: round(idlePingMedianUs),
      inIdlePings: round(medianUs / idlePingMedianUs, 2),
      sameProcessMedianUs: round(hereUs),
      sameProcessInPings: round(hereUs / pingMedianUs, 2),
      sameProcessInIdlePings: round(hereUs / idlePingMedianUs, 2),
    };
  } finally {
    await other.stop();
    a.dispose();
    b.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// Dead Redis: the server killed under a live fleet.

async function deadRedis(server, redisFleet, settings) {
  const client = await connect(server.port, 'bench-i-dead');
  const events = [];
  const fleet = redisFleet({
    redis: client,
    commandTimeoutMs: DEAD_TIMEOUT_MS,
    recheckMs: DEAD_RECHECK_MS,
    onEvent: (event) => events.push(event),
  });
  const policy = resilient({
    service: 'bench-i-dead',
    circuitBreaker: { fleet },
    rateLimit: { limit: HIGH_LIMIT, fleet },
  });
  try {
    for (let i = 0; i < 5; i++) expect((await policy.execute(fn)) === 42, 'dead Redis: warm-up call');
    expect(fleet.available && events.length === 0, 'dead Redis: the fleet must reach Redis before the kill');
    const closed = new Promise((resolve) => client.once('close', resolve));
    await server.kill();
    await within(closed, EVENT_DEADLINE_MS, 'dead Redis: the client never saw the server go');

    const outcomes = { resolved: 0, rejected: 0, wrong: 0 };
    const call = async () => {
      try {
        if ((await policy.execute(fn)) === 42) outcomes.resolved++;
        else outcomes.wrong++;
      } catch {
        outcomes.rejected++;
      }
    };
    const t0 = performance.now();
    await within(call(), DEAD_TIMEOUT_MS + EVENT_DEADLINE_MS, 'dead Redis: the first call');
    const firstMs = performance.now() - t0;
    const eventsAfterFirst = events.length;
    const times = new Float64Array(settings.deadCalls);
    const loopStart = performance.now();
    await within(
      (async () => {
        for (let i = 0; i < settings.deadCalls; i++) {
          const start = performance.now();
          await call();
          times[i] = performance.now() - start;
        }
      })(),
      60_000,
      `dead Redis: ${settings.deadCalls} calls`,
    );
    const loopMs = performance.now() - loopStart;
    times.sort();
    const total = settings.deadCalls + 1;
    expect(
      outcomes.resolved === total,
      `dead Redis: every call must resolve with 42: ${outcomes.resolved} did, ${outcomes.rejected} rejected, ${outcomes.wrong} answered wrong`,
    );
    expect(!fleet.available, 'dead Redis: the fleet must report Redis unavailable');
    expect(
      eventsAfterFirst === 1 && events.length === 1 && events[0].type === 'unavailable',
      `dead Redis: one 'unavailable' event, during the first call; got ${JSON.stringify(events)}`,
    );
    return {
      key: 'I.dead',
      name: DEAD,
      commandTimeoutMs: DEAD_TIMEOUT_MS,
      recheckMs: DEAD_RECHECK_MS,
      firstCallMs: round(firstMs, 1),
      nextCalls: settings.deadCalls,
      nextMedianUs: round(quantile(times, 0.5) * 1e3),
      nextP99Us: round(quantile(times, 0.99) * 1e3),
      nextWithinRecheck: loopMs < DEAD_RECHECK_MS,
      resolved: outcomes.resolved,
      rejected: outcomes.rejected,
      event: events[0]?.error,
    };
  } finally {
    await within(fleet.close(), 1_000, 'dead Redis: fleet.close()').catch(noop);
    client.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------
// The runner.

async function run({ mode, log }) {
  const settings = SETTINGS[mode];
  const result = {
    scenario: 'I',
    mode,
    versions: versions(),
    bare: undefined,
    roundTrips: [],
    propagation: undefined,
    deadRedis: undefined,
    notMeasured: [{ name: '@upstash/ratelimit', reason: "needs Upstash's REST endpoint" }],
    refused: [],
    verified: 0,
  };
  const refuse = (name, error) => {
    const reason = error instanceof VerificationError ? error.message : `crashed: ${error?.stack ?? error}`;
    result.refused.push({ scenario: 'I', name, refused: reason });
    log(`  REFUSED I ${name}: ${reason}`);
    return reason;
  };
  /** Runs one measurement; on a failed verification, its row says why instead of a figure. */
  const attempt = async (key, name, body) => {
    try {
      const value = await body();
      result.verified++;
      return value;
    } catch (error) {
      return { key, name, refused: refuse(name, error) };
    }
  };

  let redisFleet;
  try {
    ({ redisFleet } = await import('@resilient/redis'));
  } catch (error) {
    refuse('@resilient/redis', new VerificationError(`cannot import its dist (build it): ${error.message}`));
    return result;
  }
  let server;
  const clients = [];
  const fleets = [];
  try {
    server = await startRedisServer();
    const [clientA, clientB, meter] = await Promise.all([
      connect(server.port, 'bench-i-a'),
      connect(server.port, 'bench-i-b'),
      connect(server.port, METER),
    ]);
    clients.push(clientA, clientB, meter);
    const fleetA = redisFleet({ redis: clientA });
    const fleetB = redisFleet({ redis: clientB });
    fleets.push(fleetA, fleetB);
    const ctx = { clientA, clientB, meter, fleetA, fleetB };

    const bare = await sample(fn, settings.latencyCalls);
    result.bare = {
      calls: settings.latencyCalls,
      medianUs: round(bare.medianUs, 3),
      p99Us: round(bare.p99Us, 3),
    };
    for (const subject of SUBJECTS) {
      result.roundTrips.push(
        await attempt(subject.key, subject.name, () => measureSubject(subject, ctx, settings)),
      );
    }
    result.roundTrips.push(await attempt('I.transition', TRANSITION, () => transitionCost(ctx, settings)));
    result.propagation = await attempt('I.propagation', PROPAGATION, () =>
      propagation(ctx, server.port, settings),
    );

    await Promise.all(fleets.map((fleet) => fleet.close()));
    await Promise.all(clients.map((client) => client.quit().catch(noop)));
    result.deadRedis = await attempt('I.dead', DEAD, () => deadRedis(server, redisFleet, settings));
  } catch (error) {
    refuse('setup (redis-server, clients)', error);
  } finally {
    for (const fleet of fleets) await within(fleet.close(), 1_000, 'fleet.close()').catch(noop);
    for (const client of clients) client.disconnect();
    await server?.kill();
  }
  return result;
}

export default {
  id: 'I',
  title: 'fleet state in Redis (@resilient/redis)',
  pending: installed ? undefined : 'redis-server not installed: apt-get install -y redis-server',
  run,
};

// Started as the other process of the propagation measure.
if (process.env.BENCH_I_CHILD_PORT !== undefined) await childProcessB(Number(process.env.BENCH_I_CHILD_PORT));
