import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The `redis-server` binary. Default: `RESILIENT_REDIS_SERVER`, else `redis-server` on the PATH. */
  readonly binary?: string;
  /** How long the server may take to answer its first PING, in ms. Default: 10,000. */
  readonly startTimeoutMs?: number;
}

/** A `redis-server` started by {@link startRedisServer}: a child process on a free port of 127.0.0.1. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, empty, and waits until it answers PING. */
  restart(): Promise<void>;
}

const DEFAULT_BINARY = 'redis-server';

/** The binary {@link startRedisServer} runs when given none. */
export function redisServerBinary(): string {
  return process.env.RESILIENT_REDIS_SERVER ?? DEFAULT_BINARY;
}

/** Whether `redis-server` (or `binary`) can be run here: a suite that needs it can skip, and say why. */
export function redisServerAvailable(binary = redisServerBinary()): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Every server still running, killed when this process exits. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts a real `redis-server` (Debian's `redis-server` package, say) on a free port of 127.0.0.1, with
 * no persistence, and resolves once it answers PING. For tests and benchmarks of code that shares state
 * through Redis (`@resilient/redis`): `kill()` a server to see what a crash does, `restart()` it empty.
 * Servers still running when the process exits are killed.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? redisServerBinary();
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const port = await freePort();
  let child = await spawnServer(binary, port, startTimeoutMs);
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
      child = await spawnServer(binary, port, startTimeoutMs);
    },
  };
}

async function spawnServer(binary: string, port: number, startTimeoutMs: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
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
      reject(new Error(`${binary} on port ${port} exited (${code ?? signal}) before answering: ${stderr}`));
    });
  });
  exited.catch(() => {}); // only raced below; an exit after the start is expected (stop, kill)
  try {
    await Promise.race([waitForPong(port, startTimeoutMs), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

/** Polls the port with PING until it answers PONG, for at most `timeoutMs`. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
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
        else reject(new Error('no free port'));
      });
    });
  });
}
