/**
 * A real `redis-server` for the tests: one child process per suite on a free port of 127.0.0.1, with no
 * persistence. Suites that need it use {@link describeWithRedis}, which skips them (with one line saying
 * why) where the binary is missing.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { describe } from 'vitest';

/** The binary: `RESILIENT_REDIS_SERVER`, else `redis-server` on the PATH. */
const BINARY = process.env.RESILIENT_REDIS_SERVER ?? 'redis-server';

/** Whether `redis-server` can be run here. */
export const redisAvailable: boolean = spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;

/** How long a server may take to answer its first PING. */
const START_DEADLINE_MS = 10_000;

/** Every server process still running, killed when the test process exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A `redis-server` started by {@link startRedisServer}. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, empty, and waits until it answers. */
  restart(): Promise<void>;
}

/**
 * `describe` for a suite that needs a real Redis: skipped, with one line on the console naming the suite
 * and the reason, where `redis-server` is not installed.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (!redisAvailable) {
    console.warn(
      `[@resilient/redis] skipped the suite "${name}": ${BINARY} not found on PATH: install Debian's redis-server (apt-get install -y redis-server)`,
    );
  }
  describe.skipIf(!redisAvailable)(name, body);
}

/** Starts a `redis-server` on a free port of 127.0.0.1 and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await spawnServer(port);
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    if (current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(signal);
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
    async restart() {
      await stop('SIGTERM');
      child = await spawnServer(port);
    },
  };
}

/**
 * An ioredis client for a test, with an `error` listener (so ioredis does not print every failed
 * reconnection) and fast, steady reconnection unless `options` say otherwise.
 */
export function createClient(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { retryStrategy: () => 50, ...options });
  client.on('error', () => {});
  return client;
}

async function spawnServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.delete(child);
      reject(
        new Error(`redis-server on port ${port} exited (${code ?? signal}) before answering: ${stderr}`),
      );
    });
  });
  exited.catch(() => {}); // only raced below; an exit after the start is expected (stop, kill)
  await Promise.race([waitForPong(port), exited]);
  return child;
}

/** Polls the port with PING until it answers PONG, for at most {@link START_DEADLINE_MS}. */
async function waitForPong(port: number): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
