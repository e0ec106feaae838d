import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeServer, startFakeServer } from '../src/core/fake-server';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startFakeServer', () => {
  it('listens on 127.0.0.1 on a free port and hands the handler the method, path, headers and body', async () => {
    const seen: unknown[] = [];
    server = await startFakeServer(async (request) => {
      seen.push({
        method: request.method,
        path: request.path,
        header: request.headers['x-test'],
        body: request.body,
      });
      return { type: 'respond', response: { status: 201, headers: { 'x-answer': 'yes' }, body: 'created' } };
    });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`${server.url}/things?page=2`, {
      method: 'POST',
      headers: { 'x-test': 'value' },
      body: 'hello',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.text()).toBe('created');
    expect(seen).toEqual([{ method: 'POST', path: '/things', header: 'value', body: 'hello' }]);
  });

  it('gives two servers two different ports', async () => {
    server = await startFakeServer(async () => ({ type: 'hang' }));
    const other = await startFakeServer(async () => ({ type: 'hang' }));
    try {
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('closes while a request hangs, and the client sees the connection end', async () => {
    let received = 0;
    server = await startFakeServer(async () => {
      received++;
      return { type: 'hang' };
    });
    const pending = fetch(`${server.url}/slow`).then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(received).toBe(1));
    await server.close();
    expect(await pending).toBe('failed');
  });

  it('stops a handler that waits on its signal when it closes', async () => {
    let started = false;
    let aborted = false;
    server = await startFakeServer(
      (_request, signal) =>
        new Promise((resolve) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ type: 'respond', response: { status: 200 } });
          });
        }),
    );
    const pending = fetch(server.url).catch(() => undefined);
    await vi.waitFor(() => expect(started).toBe(true));
    expect(aborted).toBe(false);
    await server.close();
    await pending;
    expect(aborted).toBe(true);
  });

  it('destroys the connection when the handler says so', async () => {
    server = await startFakeServer(async () => ({ type: 'destroy' }));
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
  });

  it('answers 500 with the message when the handler throws', async () => {
    server = await startFakeServer(async () => {
      throw new Error('boom');
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('boom');
  });

  it('can be closed twice', async () => {
    server = await startFakeServer(async () => ({ type: 'respond', response: { status: 204 } }));
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });
});
