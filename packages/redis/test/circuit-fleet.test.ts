import {
  type BreakerStateChangeEvent,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitState,
  circuitBreaker,
} from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { type RedisFleet, type RedisFleetEvent, redisFleet } from '../src/index';
import { createClient, describeWithRedis, type RedisServer, startRedisServer } from './redis-server';
import { until } from './until';

const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
const up = () => Promise.resolve('ok');

/** Resolves when `breaker` moves to `state`; fails after `deadlineMs` (a bounded wait, no fixed sleep). */
function reaches(
  breaker: ReturnType<typeof circuitBreaker>,
  state: CircuitState,
  deadlineMs = 10_000,
): Promise<BreakerStateChangeEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${breaker.name} to be ${state}`));
    }, deadlineMs);
    const stop = breaker.onStateChange((event) => {
      if (event.to !== state) return;
      stop();
      clearTimeout(timer);
      resolve(event);
    });
  });
}

describeWithRedis('a circuit breaker shared through redisFleet', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const fleets: RedisFleet[] = [];
  let prefixes = 0;
  let prefix = '';

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A "process": its own client and fleet, like another host of the fleet would have. */
  function process(
    options: {
      onEvent?: (event: RedisFleetEvent) => void;
      commandTimeoutMs?: number;
      failOpen?: boolean;
      connectionName?: string;
      recheckMs?: number;
    } = {},
  ) {
    const { connectionName, ...fleetOptions } = options;
    // A named client reconnects slowly, so a test can act while it is away.
    const client = createClient(
      server.url,
      connectionName === undefined ? {} : { connectionName, retryStrategy: () => 300 },
    );
    clients.push(client);
    const fleet = redisFleet({ redis: client, prefix, recheckMs: 50, ...fleetOptions });
    fleets.push(fleet);
    return { client, fleet };
  }

  function breakerIn(fleet: RedisFleet, options: CircuitBreakerOptions = {}) {
    return circuitBreaker({
      name: 'resend',
      strategy: { type: 'consecutive', threshold: 2 },
      breakDuration: { initialMs: 30, factor: 2, maxMs: 1000, jitter: 0 },
      probeTimeoutMs: 10_000,
      fleet,
      ...options,
    });
  }

  async function trip(breaker: ReturnType<typeof circuitBreaker>) {
    await breaker.execute(down).catch(() => {});
    await breaker.execute(down).catch(() => {});
  }

  /** Waits until the break recorded in Redis is over, on the server's clock. */
  async function breakOver(client: Redis) {
    await until(async () => {
      const [seconds, micros] = await client.time();
      const openUntil = Number(await client.hget(`${prefix}:breaker:resend`, 'openUntil'));
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) >= openUntil;
    }, 'the break to end on the server clock');
  }

  // Each test gets keys and a channel of its own.
  beforeEach(() => {
    prefix = `circuit${++prefixes}`;
  });

  it('should open the breaker in every process when one trips, and make them fail fast', async () => {
    const [a, b, c] = [process(), process(), process()].map(({ fleet }) => breakerIn(fleet));
    const heardB = reaches(b!, 'open');
    const heardC = reaches(c!, 'open');
    await trip(a!);
    expect(a!.state).toBe('open');
    expect(await heardB).toEqual({
      breaker: 'resend',
      from: 'closed',
      to: 'open',
      operation: undefined,
      fromFleet: true,
    });
    await heardC;
    const fn = vi.fn(up);
    const refused = await b!.execute(fn).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(fn).not.toHaveBeenCalled();
  });

  it('should trip every process on failures spread across them, with tripAfter', async () => {
    // Each process sees one failure: never enough for its own strategy (5 in a row), enough for the fleet.
    const processes = [0, 1, 2].map(() => {
      const client = createClient(server.url);
      clients.push(client);
      const fleet = redisFleet({ redis: client, prefix, tripAfter: { failures: 3, windowMs: 60_000 } });
      fleets.push(fleet);
      return { client, breaker: breakerIn(fleet, { strategy: { type: 'consecutive', threshold: 5 } }) };
    });
    const opened = processes.map(({ breaker }) => reaches(breaker, 'open'));
    for (const { breaker } of processes.slice(0, 2)) await breaker.execute(down).catch(() => {});
    const key = `${prefix}:breaker:resend`;
    const admin = processes[0]!.client;
    await until(async () => (await admin.hget(key, 'failures')) === '2', 'two failures counted');
    expect(await admin.pttl(key)).toBeGreaterThan(0);
    expect(processes.map(({ breaker }) => breaker.state)).toEqual(['closed', 'closed', 'closed']);
    await processes[2]!.breaker.execute(down).catch(() => {});
    for (const event of await Promise.all(opened)) expect(event.fromFleet).toBe(true);
    expect(await admin.hgetall(key)).toMatchObject({ state: 'open', failures: '0' });
  });

  it('should count afresh after every transition: failures before a trip do not count after it', async () => {
    const client = createClient(server.url);
    clients.push(client);
    const fleet = redisFleet({ redis: client, prefix, tripAfter: { failures: 5, windowMs: 60_000 } });
    fleets.push(fleet);
    const clock = new FakeClock();
    const breaker = breakerIn(fleet, {
      strategy: { type: 'consecutive', threshold: 5 },
      breakDuration: 1000,
      clock,
    });
    const key = `${prefix}:breaker:resend`;
    for (let call = 0; call < 4; call++) await breaker.execute(down).catch(() => {});
    await until(async () => (await client.hget(key, 'failures')) === '4', 'four failures counted');
    await breaker.execute(down).catch(() => {}); // the breaker's own fifth: it trips by itself
    await until(async () => (await client.hget(key, 'state')) === 'open', 'the trip');
    expect(await client.hget(key, 'failures')).toBe('0');
    breaker.reset();
    await until(async () => (await client.hget(key, 'state')) === 'closed', 'the reset');
    await breaker.execute(down).catch(() => {});
    await until(async () => (await client.hget(key, 'failures')) === '1', 'one failure counted');
    expect(breaker.state).toBe('closed');
    expect(await client.hget(key, 'state')).toBe('closed');
  });

  it('should count no failure of a breaker whose fleet has no tripAfter', async () => {
    const { client, fleet } = process();
    await breakerIn(fleet, { strategy: { type: 'consecutive', threshold: 5 } })
      .execute(down)
      .catch(() => {});
    await client.ping();
    expect(await client.keys(`${prefix}:*`)).toEqual([]);
  });

  it('should keep its state in one namespaced hash that expires', async () => {
    const { client, fleet } = process();
    await trip(breakerIn(fleet, { breakDuration: 60_000 }));
    await until(async () => (await client.hget(`${prefix}:breaker:resend`, 'state')) === 'open', 'the hash');
    const hash = await client.hgetall(`${prefix}:breaker:resend`);
    expect(hash).toMatchObject({ state: 'open', opens: '1', holder: '', leaseUntil: '0' });
    const ttl = await client.pttl(`${prefix}:breaker:resend`);
    expect(ttl).toBeGreaterThan(86_400_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000 + 60_000);
    expect(await client.keys(`${prefix}:*`)).toEqual([`${prefix}:breaker:resend`]);
  });

  it('should let exactly one probe through across the fleet, and close every process on its success', async () => {
    const processes = [process(), process(), process()];
    const breakers = processes.map(({ fleet }) => breakerIn(fleet));
    const opened = breakers.slice(1).map((breaker) => reaches(breaker, 'open'));
    await trip(breakers[0]!);
    await Promise.all(opened);
    await breakOver(processes[0]!.client);
    // Every process calls at once, round after round (a process whose own break is not over yet refuses
    // by itself), until a probe starts: never two.
    let release!: (value: string) => void;
    const probes = breakers.map(() => vi.fn(() => new Promise<string>((resolve) => (release = resolve))));
    for (let round = 0; probes.every((probe) => probe.mock.calls.length === 0); round++) {
      if (round > 200) throw new Error('no probe started after the break');
      const outcomes: unknown[] = breakers.map(() => undefined);
      breakers.forEach((breaker, index) => {
        breaker.execute(probes[index]!).then(
          (value) => (outcomes[index] = value),
          (error: unknown) => (outcomes[index] = error),
        );
      });
      const decided = (index: number) =>
        outcomes[index] !== undefined || probes[index]!.mock.calls.length > 0;
      await until(
        () => breakers.every((_, index) => decided(index)),
        'every call of the round to be decided',
      );
      expect(probes.filter((probe) => probe.mock.calls.length > 0).length).toBeLessThanOrEqual(1);
      for (const [index, outcome] of outcomes.entries()) {
        if (probes[index]!.mock.calls.length === 0) expect(outcome).toBeInstanceOf(CircuitOpenError);
      }
    }
    const closed = breakers
      .filter((_, index) => probes[index]!.mock.calls.length === 0)
      .map((b) => reaches(b, 'closed'));
    release('ok');
    await Promise.all(closed);
    expect(breakers.map((breaker) => breaker.state)).toEqual(['closed', 'closed', 'closed']);
    expect(await processes[0]!.client.hget(`${prefix}:breaker:resend`, 'state')).toBe('closed');
  });

  it('should hand the probe to another process when the holder dies holding the lease', async () => {
    const dying = process();
    const survivor = process();
    const first = breakerIn(dying.fleet, { probeTimeoutMs: 200 });
    const second = breakerIn(survivor.fleet, { probeTimeoutMs: 200 });
    const opened = reaches(second, 'open');
    await trip(first);
    await opened;
    await breakOver(dying.client);
    void first.execute(() => new Promise<string>(() => {})); // takes the lease, then "the process dies"
    await until(
      async () => (await survivor.client.hget(`${prefix}:breaker:resend`, 'state')) === 'half-open',
      'the lease',
    );
    await dying.fleet.close();
    dying.client.disconnect();
    const denied = await second.execute(up).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(CircuitOpenError);
    expect((denied as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
    expect((denied as CircuitOpenError).retryAfterMs).toBeLessThanOrEqual(200);
    await until(async () => (await second.execute(up).catch(() => 'refused')) === 'ok', 'the lease to lapse');
    expect(second.state).toBe('closed');
  });

  it('should tell a process that joins later that the breaker is open', async () => {
    const early = process();
    await trip(breakerIn(early.fleet, { breakDuration: 60_000 }));
    await until(
      async () => (await early.client.hget(`${prefix}:breaker:resend`, 'state')) === 'open',
      'the trip',
    );
    const late = breakerIn(process().fleet, { breakDuration: 60_000 });
    await until(() => late.state === 'open', 'the late joiner to catch up');
    expect(late.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('should keep the first trip when two processes trip at once', async () => {
    // Breaks that differ by tens of seconds: agreeing afterwards means the loser took the winner's.
    const breakDuration = { initialMs: 60_000, maxMs: 120_000, jitter: 0.5 };
    const a = breakerIn(process().fleet, { breakDuration, random: () => 0 });
    const b = breakerIn(process().fleet, { breakDuration, random: () => 1 });
    const { client } = process();
    const key = `${prefix}:breaker:resend`;
    await Promise.all([trip(a), trip(b)]);
    expect(Math.abs(a.retryAfterMs - b.retryAfterMs)).toBeGreaterThan(10_000);
    await until(async () => (await client.hget(key, 'state')) === 'open', 'the trip to land');
    expect(await client.hget(key, 'opens')).toBe('1');
    expect(Number(await client.hget(key, 'gen'))).toBeGreaterThan(0);
    await until(() => Math.abs(a.retryAfterMs - b.retryAfterMs) < 1000, 'both to agree on one break');
  });

  it('should tell every breaker of that name in one process', async () => {
    const { fleet } = process();
    const [a, b] = [breakerIn(fleet), breakerIn(fleet)];
    const other = breakerIn(process().fleet);
    const heard = [reaches(b!, 'open'), reaches(other, 'open')];
    await trip(a!);
    await Promise.all(heard);
  });

  it('should isolate and reset the whole fleet from one process', async () => {
    const [a, b] = [process(), process()].map(({ fleet }) => breakerIn(fleet));
    const isolated = reaches(b!, 'isolated');
    a!.isolate();
    await isolated;
    const closed = reaches(a!, 'closed');
    b!.reset();
    await closed;
  });

  it("should ignore news older than what a process knows, and messages that are not the fleet's", async () => {
    const { client, fleet } = process();
    const breaker = breakerIn(fleet, { breakDuration: 60_000 });
    const other = breakerIn(process().fleet, { breakDuration: 60_000 });
    const opened = reaches(breaker, 'open');
    await trip(other);
    await opened;
    const stale = JSON.stringify(['resend', 'closed', '0', '0', 'someone', '1']);
    await client.publish(`${prefix}:breaker`, stale);
    await client.publish(`${prefix}:breaker`, 'not json');
    await client.publish(
      `${prefix}:breaker`,
      JSON.stringify(['resend', 'exploded', '0', '0', 'x', '9'.repeat(20)]),
    );
    // A fresh change after the junk still arrives, so the junk was read and dropped.
    const isolated = reaches(breaker, 'isolated');
    other.isolate();
    // Messages on the channel arrive in order: the stale one came first and changed nothing.
    expect((await isolated).from).toBe('open');
  });

  it('should keep an open breaker open while Redis is unavailable when the fleet fails closed', async () => {
    const crashing = await startRedisServer();
    const client = createClient(crashing.url);
    clients.push(client);
    const fleet = redisFleet({
      redis: client,
      prefix,
      commandTimeoutMs: 100,
      recheckMs: 5_000,
      failOpen: false,
    });
    fleets.push(fleet);
    try {
      const clock = new FakeClock();
      const breaker = breakerIn(fleet, { breakDuration: 1000, clock });
      await crashing.kill();
      await trip(breaker);
      expect(breaker.state).toBe('open');
      await clock.advance(1000); // the break is over: only the fleet's answer keeps the breaker open
      const fn = vi.fn(up);
      for (let call = 0; call < 3; call++) {
        const refused = await breaker.execute(fn).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(CircuitOpenError);
        expect((refused as CircuitOpenError).retryAfterMs).toBe(5_000);
      }
      expect(fn).not.toHaveBeenCalled();
    } finally {
      await crashing.stop();
    }
  });

  it('should catch up on a reset that a process missed while its subscriber was away', async () => {
    const a = process();
    const b = process();
    const [first, second] = [breakerIn(a.fleet), breakerIn(b.fleet)];
    const isolated = reaches(second!, 'isolated');
    first!.isolate();
    await isolated;
    const admin = createClient(server.url);
    clients.push(admin);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub'); // every subscriber drops, and reconnects by itself
    first!.reset(); // published while the subscribers are away: nobody hears it
    await until(
      async () => (await admin.hget(`${prefix}:breaker:resend`, 'state')) === 'closed',
      'the reset',
    );
    await until(() => second!.state === 'closed', 'the catch-up after the resubscription');
    expect(await second!.execute(up)).toBe('ok');
  });

  it('should catch up later when the read after a resubscription finds Redis unavailable', async () => {
    const a = process();
    const b = process({ commandTimeoutMs: 100, connectionName: 'process-b', recheckMs: 1_000 });
    const first = breakerIn(a.fleet, { breakDuration: 60_000 });
    const second = breakerIn(b.fleet, { breakDuration: 60_000 });
    await Promise.all([a.client.ping(), b.client.ping()]);
    const admin = createClient(server.url);
    clients.push(admin);
    // Process B loses both its connections; a rate-limited call then finds Redis away (a cool-down starts).
    const list = String(await admin.client('LIST')).split('\n');
    const ids = list
      .filter((line) => line.includes(' name=process-b '))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids).toHaveLength(3); // its client, and the fleet's subscriber and command connections
    for (const id of ids) await admin.call('CLIENT', 'KILL', 'ID', id);
    await b.fleet.reserve({ name: 'emails', limit: 10, intervalMs: 1000, burst: 10, maxWaitMs: 0 });
    await trip(first); // the news goes out while B's subscriber is away
    await until(() => second.state === 'open', 'B to catch up once Redis answers it again');
  });

  it('should probe, not close, when Redis lost the record of an open breaker', async () => {
    const { client, fleet } = process();
    const breaker = breakerIn(fleet, { breakDuration: { initialMs: 30, factor: 2, maxMs: 1000, jitter: 0 } });
    const seen: string[] = [];
    breaker.onStateChange((event) => seen.push(`${event.from}->${event.to}`));
    await trip(breaker);
    await until(async () => (await client.hget(`${prefix}:breaker:resend`, 'state')) === 'open', 'the trip');
    await client.flushall(); // a restart without persistence, an eviction
    const provider = vi.fn(down);
    await until(async () => {
      await breaker.execute(provider).catch(() => {});
      return provider.mock.calls.length > 0;
    }, 'the probe');
    expect(provider).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
    expect(breaker.snapshot().consecutiveOpens).toBe(2);
  });

  it('should keep calls going on local state when Redis dies, report it, and share again once it is back', async () => {
    const events: RedisFleetEvent[] = [];
    const a = process({ onEvent: (event) => events.push(event), commandTimeoutMs: 100 });
    const b = process();
    const first = breakerIn(a.fleet, { breakDuration: 50 });
    const second = breakerIn(b.fleet, { breakDuration: 50 });
    await server.kill();
    expect(await first.execute(up)).toBe('ok');
    await trip(first); // a local trip: the publish fails, the breaker opens all the same
    expect(first.state).toBe('open');
    await until(() => events.some((event) => event.type === 'unavailable'), 'the unavailable event');
    expect(second.state).toBe('closed');
    // The break ends; the probe is granted locally, since the fleet cannot decide.
    await until(async () => (await first.execute(up).catch(() => 'refused')) === 'ok', 'a local probe');
    expect(first.state).toBe('closed');
    await server.restart();
    // Both processes reconnect and share again: a new trip reaches the other process.
    const [afterA, afterB] = [a, b].map(({ fleet }) =>
      breakerIn(fleet, { name: 'stripe', breakDuration: 60_000 }),
    );
    const heard = reaches(afterB!, 'open');
    await until(async () => {
      await trip(afterA!);
      return afterA!.state === 'open';
    }, 'a trip after the restart');
    await heard;
    await until(() => events.some((event) => event.type === 'recovered'), 'the recovered event');
    expect(events.map((event) => event.type)).toEqual(['unavailable', 'recovered']);
  });

  it('should share a trip made while Redis was down once Redis is back', async () => {
    const a = process({ commandTimeoutMs: 100 });
    const b = process();
    const first = breakerIn(a.fleet, { breakDuration: 60_000 });
    const second = breakerIn(b.fleet, { breakDuration: 60_000 });
    await Promise.all([a.client.ping(), b.client.ping()]);
    await server.kill();
    await until(() => a.client.status !== 'ready', 'the client to see the connection drop');
    await trip(first);
    expect(first.state).toBe('open');
    const heard = reaches(second, 'open');
    await server.restart();
    expect((await heard).fromFleet).toBe(true);
    expect(second.retryAfterMs).toBeGreaterThan(50_000);
  });
});
