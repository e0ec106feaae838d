/**
 * Four real processes (child_process.fork), each with its own ioredis client, redisFleet and resilient()
 * pipeline, share one breaker through a real redis-server: a trip in one opens it in the others, one
 * probe goes through for all of them, and when Redis is killed mid-run every process keeps serving
 * calls on its own state. The workers import the built package, as a user's process would.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, type RedisServer, startRedisServer } from './redis-server';

const WORKER = fileURLToPath(new URL('./fixtures/breaker-worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PROCESSES = 4;

type Message = { type: string; [key: string]: unknown };

/** One child process and the messages it sent, which tests wait on with a deadline. */
class Worker {
  readonly messages: Message[] = [];
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(url: string, prefix: string, env: Record<string, string> = {}) {
    this.child = fork(WORKER, [], {
      env: { ...process.env, REDIS_URL: url, PREFIX: prefix, ...env },
      stdio: 'inherit',
    });
    this.child.on('message', (message: Message) => {
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  send(message: Record<string, unknown>): void {
    this.child.send(message);
  }

  /** The first message matching `match`, waiting for it for at most `deadlineMs`. */
  async next(match: (message: Message) => boolean, what: string, deadlineMs = 10_000): Promise<Message> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async call(id: string, behaviour: 'ok' | 'fail' | 'hold' = 'ok'): Promise<Message> {
    this.send({ cmd: 'call', id, behaviour });
    return this.next((message) => message.type === 'result' && message.id === id, `result ${id}`);
  }

  async count(): Promise<{ completed: number; failed: number; state: string }> {
    const before = this.messages.length;
    this.send({ cmd: 'count' });
    const reply = await this.next(
      (message) => message.type === 'count' && this.messages.indexOf(message) >= before,
      'a count',
    );
    return reply as unknown as { completed: number; failed: number; state: string };
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ cmd: 'exit' });
    await exited;
  }
}

describeWithRedis('a breaker shared by four processes', () => {
  let server: RedisServer;
  let workers: Worker[] = [];
  let run = 0;

  beforeAll(async () => {
    if (!existsSync(DIST))
      throw new Error(
        `build @resilient/redis first (${DIST} is missing): pnpm --filter @resilient/redis build`,
      );
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.exit()));
    workers = [];
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function startWorkers(env: Record<string, string> = {}): Promise<Worker[]> {
    const prefix = `multi${++run}`;
    workers = Array.from({ length: PROCESSES }, () => new Worker(server.url, prefix, env));
    await Promise.all(workers.map((worker) => worker.next((message) => message.type === 'ready', 'ready')));
    return workers;
  }

  it('should open the breaker in every process when one trips, and let one probe through for all', async () => {
    const [first, ...others] = await startWorkers();
    for (let index = 0; index < 3; index++) await first!.call(`fail-${index}`, 'fail');
    await first!.next((message) => message.type === 'state' && message.to === 'open', 'the trip');
    for (const worker of others) {
      const heard = await worker.next(
        (message) => message.type === 'state' && message.to === 'open',
        'the news',
      );
      expect(heard.fromFleet).toBe(true);
      const refused = await worker.call('after-trip');
      expect(refused).toMatchObject({ ran: false, ok: false, kind: 'circuit-open' });
    }
    // After the break every process asks at once, round after round, until a probe runs: never two.
    let probe: { worker: Worker; id: string } | undefined;
    for (let round = 0; probe === undefined; round++) {
      if (round > 500) throw new Error('no probe ran after the break');
      const ids = workers.map((_, index) => `probe-${round}-${index}`);
      for (const [index, worker] of workers.entries()) {
        worker.send({ cmd: 'call', id: ids[index], behaviour: 'hold' });
      }
      const outcomes = await Promise.all(
        workers.map((worker, index) =>
          worker.next(
            (message) =>
              message.id === ids[index] && (message.type === 'started' || message.type === 'result'),
            `probe round ${round}`,
          ),
        ),
      );
      const started = outcomes.flatMap((message, index) => (message.type === 'started' ? [index] : []));
      expect(started.length).toBeLessThanOrEqual(1);
      for (const message of outcomes)
        if (message.type === 'result') expect(message.kind).toBe('circuit-open');
      if (started.length === 1) probe = { worker: workers[started[0]!]!, id: ids[started[0]!]! };
    }
    // While the probe runs, the others keep asking, and are refused: the fleet's lease is taken.
    const refusedOnes = workers.filter((worker) => worker !== probe!.worker);
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.all(
        refusedOnes.map((worker, index) => {
          const id = `during-${round}-${index}`;
          worker.send({ cmd: 'call', id, behaviour: 'hold' });
          return worker.next(
            (message) => message.id === id && (message.type === 'started' || message.type === 'result'),
            id,
          );
        }),
      );
      for (const message of outcomes)
        expect(message).toMatchObject({ type: 'result', ran: false, kind: 'circuit-open' });
    }
    const closing = workers
      .filter((worker) => worker !== probe!.worker)
      .map((worker) =>
        worker.next((message) => message.type === 'state' && message.to === 'closed', 'the close'),
      );
    probe.worker.send({ cmd: 'release', id: probe.id });
    expect(
      await probe.worker.next(
        (message) => message.type === 'result' && message.id === probe!.id,
        'the probe',
      ),
    ).toMatchObject({ ran: true, ok: true });
    for (const heard of await Promise.all(closing)) expect(heard.fromFleet).toBe(true);
    for (const worker of workers)
      expect(await worker.call('after-close')).toMatchObject({ ran: true, ok: true });
  });

  it('should trip every process on one failure in each, with tripAfter', async () => {
    // Each process's own strategy needs 3 failures in a row; the fleet trips on 4 across the processes.
    await startWorkers({ TRIP_AFTER: String(PROCESSES) });
    for (const [index, worker] of workers.entries()) {
      expect(await worker.call(`fail-${index}`, 'fail')).toMatchObject({ ran: true, ok: false });
    }
    for (const worker of workers) {
      const heard = await worker.next(
        (message) => message.type === 'state' && message.to === 'open',
        'the trip',
      );
      expect(heard.fromFleet).toBe(true);
      expect(await worker.call('after-trip')).toMatchObject({ ran: false, kind: 'circuit-open' });
    }
  });

  it('should keep every process serving calls when Redis is killed mid-run, then share again', async () => {
    await startWorkers();
    for (const worker of workers) worker.send({ cmd: 'loop' });
    const progress = async (what: string) => {
      const before = await Promise.all(workers.map((worker) => worker.count()));
      await Promise.all(
        workers.map(async (worker, index) => {
          const deadline = Date.now() + 10_000;
          while ((await worker.count()).completed < before[index]!.completed + 50) {
            if (Date.now() > deadline) throw new Error(`process ${index} made no progress ${what}`);
          }
        }),
      );
    };
    await progress('with Redis up');
    await server.kill();
    await progress('after Redis was killed');
    for (const worker of workers) {
      await worker.next(
        (message) => message.type === 'fleet-event' && message.event === 'unavailable',
        'unavailable',
      );
    }
    await server.restart();
    await progress('after Redis came back');
    for (const worker of workers) {
      await worker.next(
        (message) => message.type === 'fleet-event' && message.event === 'recovered',
        'recovered',
      );
      const { failed, state } = await worker.count();
      expect(failed).toBe(0);
      expect(state).toBe('closed');
    }
  });
});
