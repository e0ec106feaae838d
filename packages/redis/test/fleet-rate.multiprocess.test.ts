/**
 * Four real processes share one rate limit through Redis: core's rateLimiter with a redisFleet in each,
 * all calling as fast as the limiter lets them. Together they must run at the limit, not four times it.
 * Real time is inherent here (real processes, real Redis); the slots are spaced on Redis's clock, so the
 * count depends on Redis, not on how the processes are scheduled.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, type RedisServer, startRedisServer } from './redis-server';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixtures/rate-worker.mjs', import.meta.url));
const PROCESSES = 4;
const CALLS_IN_FLIGHT_PER_PROCESS = 4;
const LIMIT = 100;
const INTERVAL_MS = 1_000;
const BURST = 10;
const RUN_MS = 2_500;

interface Done {
  readonly type: 'done';
  readonly times: number[];
  readonly errors: string[];
}

describeWithRedis('a rate limit shared by four processes through Redis', () => {
  let server: RedisServer;
  let bundleDirectory: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // The workers are plain Node: they load this package built from src, into a directory of their own
    // (inside the package, so `ioredis` and `@resilient/core` resolve; never dist, which a build may be
    // rewriting at the same time).
    bundleDirectory = mkdtempSync(`${PACKAGE}node_modules/.rate-worker-`);
    const [started] = await Promise.all([
      startRedisServer(),
      build({
        entry: { index: `${PACKAGE}src/index.ts` },
        outDir: bundleDirectory,
        format: ['esm'],
        platform: 'node',
        target: 'es2022',
        external: ['ioredis', '@resilient/core'],
        // One name whatever the package.json of the working directory says about "type".
        outExtension: () => ({ js: '.mjs' }),
        dts: false,
        sourcemap: false,
        config: false,
        silent: true,
      }),
    ]);
    server = started;
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    if (bundleDirectory) rmSync(bundleDirectory, { recursive: true, force: true });
    await server?.stop();
  });

  it('runs the processes together at the limit', async () => {
    const ready: Promise<unknown>[] = [];
    const done: Promise<Done>[] = [];
    for (let index = 0; index < PROCESSES; index++) {
      const worker = fork(WORKER, [], {
        env: {
          ...process.env,
          FLEET_MODULE: `${bundleDirectory}/index.mjs`,
          REDIS_URL: server.url,
          FLEET_PREFIX: 'multiprocess',
          LIMIT: String(LIMIT),
          INTERVAL_MS: String(INTERVAL_MS),
          BURST: String(BURST),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      workers.push(worker);
      const exited = new Promise<never>((_, reject) =>
        worker.once('exit', (code) =>
          reject(new Error(`worker ${index} exited with ${code} before it was done`)),
        ),
      );
      const isReady = Promise.race([message(worker, 'ready'), exited]);
      const isDone = Promise.race([message<Done>(worker, 'done'), exited]);
      // Awaited below (in order); marked handled now, so an early exit is one failure, not unhandled ones.
      for (const outcome of [exited, isReady, isDone]) outcome.catch(() => {});
      ready.push(isReady);
      done.push(isDone);
    }
    await Promise.all(ready);
    const startAt = Date.now() + 100;
    const stopAt = startAt + RUN_MS;
    for (const worker of workers) worker.send({ startAt, stopAt, concurrency: CALLS_IN_FLIGHT_PER_PROCESS });
    const results = await Promise.all(done);

    expect(results.flatMap((result) => result.errors)).toEqual([]);
    const times = results.flatMap((result) => result.times).sort((a, b) => a - b);
    const first = times[0]!;
    const counted = times.filter((time) => time <= stopAt).length;
    // After the burst at the first slot, one call per emission interval until stopAt.
    const rate = ((counted - BURST) / (stopAt - first)) * INTERVAL_MS;
    expect(rate).toBeGreaterThan(LIMIT * 0.9);
    expect(rate).toBeLessThan(LIMIT * 1.1);
    // Fairly: slots go in arrival order at Redis, so every process gets close to an even share.
    const even = counted / PROCESSES;
    for (const result of results) {
      expect(result.times.length).toBeGreaterThan(even * 0.6);
      expect(result.times.length).toBeLessThan(even * 1.4);
    }
  });
});

function message<T>(worker: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: unknown) => {
      if ((value as { type?: string }).type !== type) return;
      worker.off('message', listener);
      resolve(value as T);
    };
    worker.on('message', listener);
  });
}
