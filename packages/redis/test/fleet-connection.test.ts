import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FleetConnection, UNAVAILABLE } from '../src/fleet-connection';
import { LuaScript } from '../src/lua-script';
import type { RedisFleetEvent } from '../src/redis-fleet-event';

const SCRIPT = new LuaScript('test-script', 'return 1');

/** A client whose EVALSHA answers are decided by the test, one promise per command. */
class ScriptedClient extends EventEmitter {
  readonly options = { password: 'hunter2-secret' };
  status = 'ready';
  readonly commands: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  evalshaCalls = 0;
  evalCalls = 0;
  evalsha(): Promise<unknown> {
    this.evalshaCalls++;
    return new Promise((resolve, reject) => this.commands.push({ resolve, reject }));
  }
  eval(): Promise<unknown> {
    this.evalCalls++;
    return Promise.resolve('from eval');
  }
  duplicate(): never {
    throw new Error('not used');
  }
}

describe('FleetConnection', () => {
  let client: ScriptedClient;
  let time: number;
  let events: RedisFleetEvent[];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  function connect(options: { commandTimeoutMs?: number; recheckMs?: number } = {}) {
    return new FleetConnection(client as unknown as Redis, {
      commandTimeoutMs: options.commandTimeoutMs ?? 1_000,
      recheckMs: options.recheckMs ?? 500,
      onEvent: (event) => events.push(event),
      now: () => time,
    });
  }

  /** Starts a run and answers its command with `answer`. */
  async function runAnswered(connection: FleetConnection, answer: { value?: unknown; error?: unknown }) {
    const before = client.commands.length;
    const running = connection.run(SCRIPT, ['key'], [1, 'two']);
    await Promise.resolve();
    const command = client.commands[before];
    if (command === undefined) return running; // it did not reach Redis
    if ('error' in answer) command.reject(answer.error);
    else command.resolve(answer.value);
    return running;
  }

  beforeEach(() => {
    client = new ScriptedClient();
    time = 1_000_000;
    events = [];
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('resolves with the reply while Redis answers', async () => {
    const connection = connect();
    expect(await runAnswered(connection, { value: [1, 2] })).toEqual([1, 2]);
    expect(connection.available).toBe(true);
    expect(events).toEqual([]);
  });

  it('resolves UNAVAILABLE on a failure and reports it once, scrubbed of credentials', async () => {
    const connection = connect();
    const error = new Error(
      'WRONGPASS hunter2-secret for redis://:hunter2-secret@10.0.0.7:6379 and rediss://app:pw@x',
    );
    expect(await runAnswered(connection, { error })).toBe(UNAVAILABLE);
    expect(connection.available).toBe(false);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ type: 'unavailable', at: 1_000_000 });
    const text = event?.type === 'unavailable' ? event.error : '';
    expect(text).toContain('WRONGPASS');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(':pw@');
    expect(text).toContain('redis://[redacted]@10.0.0.7:6379');
  });

  it('answers UNAVAILABLE without touching Redis during the recheck cool-down, then tries one command', async () => {
    const connection = connect({ recheckMs: 500 });
    await runAnswered(connection, { error: new Error('connect ECONNREFUSED') });
    expect(client.evalshaCalls).toBe(1);
    time += 499;
    for (let call = 0; call < 20; call++) expect(await connection.run(SCRIPT, ['key'], [])).toBe(UNAVAILABLE);
    expect(client.evalshaCalls).toBe(1);
    time += 1;
    const probe = connection.run(SCRIPT, ['key'], []);
    // While the one probe is out, the others still answer at once.
    expect(await connection.run(SCRIPT, ['key'], [])).toBe(UNAVAILABLE);
    expect(client.evalshaCalls).toBe(2);
    time += 25;
    client.commands[1]?.resolve('back');
    expect(await probe).toBe('back');
    expect(connection.available).toBe(true);
    expect(events.map((event) => event.type)).toEqual(['unavailable', 'recovered']);
    expect(events[1]).toEqual({ type: 'recovered', unavailableForMs: 525, at: 1_000_525 });
    expect(await runAnswered(connection, { value: 'normal' })).toBe('normal');
  });

  it('counts a failed probe as a new failure: the cool-down starts again, with no second event', async () => {
    const connection = connect({ recheckMs: 100 });
    await runAnswered(connection, { error: new Error('down') });
    time += 100;
    expect(await runAnswered(connection, { error: new Error('still down') })).toBe(UNAVAILABLE);
    time += 99;
    expect(await connection.run(SCRIPT, ['key'], [])).toBe(UNAVAILABLE);
    expect(client.evalshaCalls).toBe(2);
    expect(events).toHaveLength(1);
  });

  it('tries every command again with a recheckMs of 0', async () => {
    const connection = connect({ recheckMs: 0 });
    await runAnswered(connection, { error: new Error('down') });
    await runAnswered(connection, { error: new Error('down') });
    expect(client.evalshaCalls).toBe(2);
  });

  it('gives up on a command after commandTimeoutMs, and ignores its late answer or rejection', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const connection = connect({ commandTimeoutMs: 20 });
    let answered: unknown;
    const running = connection.run(SCRIPT, ['key'], []).then((reply) => (answered = reply));
    await vi.advanceTimersByTimeAsync(19);
    expect(answered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await running;
    expect(answered).toBe(UNAVAILABLE);
    expect(events[0]).toMatchObject({
      type: 'unavailable',
      error: 'Error: test-script: no reply within 20 ms',
    });
    client.commands[0]?.reject(new Error('Connection is closed.'));
    const late = connect({ commandTimeoutMs: 20 });
    const lateRun = late.run(SCRIPT, ['key'], []);
    await vi.advanceTimersByTimeAsync(20);
    expect(await lateRun).toBe(UNAVAILABLE);
    vi.useRealTimers();
    client.commands[1]?.resolve('too late');
    // Let the late settlements run, then check they changed nothing and raised nothing.
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.available).toBe(false);
    expect(events.map((event) => event.type)).toEqual(['unavailable', 'unavailable']);
    expect(unhandled).toEqual([]);
  });

  it('resolves UNAVAILABLE when the client throws synchronously', async () => {
    const throwing = {
      options: {},
      status: 'ready',
      evalsha() {
        throw new Error('Stream is not writeable');
      },
      eval() {
        throw new Error('unused');
      },
    };
    const connection = new FleetConnection(throwing as unknown as Redis, {
      commandTimeoutMs: 1_000,
      recheckMs: 0,
      onEvent: (event) => events.push(event),
      now: () => time,
    });
    expect(await connection.run(SCRIPT, ['key'], [])).toBe(UNAVAILABLE);
    expect(events).toMatchObject([{ type: 'unavailable', error: 'Error: Stream is not writeable' }]);
  });

  it('survives a listener that throws', async () => {
    const connection = new FleetConnection(client as unknown as Redis, {
      commandTimeoutMs: 1_000,
      recheckMs: 0,
      onEvent: () => {
        throw new Error('listener bug');
      },
      now: () => time,
    });
    expect(await runAnswered(connection, { error: new Error('down') })).toBe(UNAVAILABLE);
    expect(await runAnswered(connection, { value: 'up' })).toBe('up');
  });

  it('sends the script with EVAL when Redis does not know it (NOSCRIPT)', async () => {
    const connection = connect();
    const answer = await runAnswered(connection, {
      error: new Error('NOSCRIPT No matching script. Please use EVAL.'),
    });
    expect(answer).toBe('from eval');
    expect(client.evalCalls).toBe(1);
    expect(connection.available).toBe(true);
  });

  it('sends nothing while the client reconnects: the command would be replayed late', async () => {
    const connection = connect();
    client.status = 'reconnecting';
    expect(await connection.run(SCRIPT, ['key'], [])).toBe(UNAVAILABLE);
    expect(client.evalshaCalls).toBe(0);
    expect(events).toEqual([
      {
        type: 'unavailable',
        error: 'Error: test-script: the Redis connection is down (reconnecting)',
        at: time,
      },
    ]);
  });

  it('waits for the first connection up to commandTimeoutMs, then sends', async () => {
    client.status = 'connecting';
    const connection = connect();
    const running = connection.run(SCRIPT, ['key'], []);
    await Promise.resolve();
    expect(client.evalshaCalls).toBe(0);
    client.status = 'ready';
    client.emit('ready');
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.evalshaCalls).toBe(1);
    client.commands[0]!.resolve('ok');
    expect(await running).toBe('ok');
    expect(events).toEqual([]);
  });

  it('gives up on a first connection that does not come within commandTimeoutMs', async () => {
    vi.useFakeTimers();
    try {
      client.status = 'connecting';
      const connection = connect({ commandTimeoutMs: 200 });
      const running = connection.run(SCRIPT, ['key'], []);
      await vi.advanceTimersByTimeAsync(200);
      expect(await running).toBe(UNAVAILABLE);
      expect(client.evalshaCalls).toBe(0);
      expect(events).toEqual([
        { type: 'unavailable', error: 'Error: test-script: no connection to Redis within 200 ms', at: time },
      ]);
      expect(client.listenerCount('ready')).toBe(1); // only the connection's own, which marks the first ready
    } finally {
      vi.useRealTimers();
    }
  });
});
