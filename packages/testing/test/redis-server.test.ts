import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { redisServerAvailable, startRedisServer } from '../src/index';

/** Sends one inline command and resolves with the first reply line, or `null` if nothing answers. */
function send(port: number, command: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (line: string | null): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(2_000, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.slice(0, reply.indexOf('\r\n')));
    });
  });
}

const available = redisServerAvailable();
if (!available) {
  console.warn(
    '[@resilient/testing] skipped the suite "startRedisServer": redis-server not found on PATH: install Debian\'s redis-server (apt-get install -y redis-server)',
  );
}

describe.skipIf(!available)('startRedisServer', () => {
  it('starts an empty server on a free loopback port that restarts empty and stops for good', async () => {
    const server = await startRedisServer();
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(await send(server.port, 'SET greeting hello')).toBe('+OK');
      await server.kill();
      expect(await send(server.port, 'PING')).toBeNull();
      await server.restart();
      expect(await send(server.port, 'EXISTS greeting')).toBe(':0'); // no persistence
    } finally {
      await server.stop();
    }
    expect(await send(server.port, 'PING')).toBeNull();
  });

  it('says which binary failed when it cannot start', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/ENOENT/);
    expect(redisServerAvailable('/nonexistent/redis-server')).toBe(false);
  });
});
