import { ResilientError } from '@resilient/core';
import { type FakeSendGrid, type Fault, findSecret, startFakeSendGrid } from '@resilient/testing';
import { MailService } from '@sendgrid/mail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendGridProvider } from '../src/create-sendgrid-provider';
import { mapSendGridError } from '../src/map-sendgrid-error';
import { toSendGridMail } from '../src/to-sendgrid-mail';
import { sendContext, simpleMessage } from './support';

const KEY = 'SG.canary-7f3a9c2d41';
let fake: FakeSendGrid;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failure(send: Promise<unknown>): Promise<ResilientError> {
  const error = await send.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ResilientError.isInstance(error)) throw new Error(`expected a ResilientError, got ${String(error)}`);
  return error;
}

const failWith = (fault: Fault, timeoutMs?: number) => {
  fake.faults.enqueue(fault);
  return failure(
    createSendGridProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs }).send(simpleMessage, sendContext()),
  );
};

describe('SendGrid network errors, through the real SDK', () => {
  it('maps the provider’s own timeout (ECONNABORTED) on a hang to a timeout with an unknown outcome', async () => {
    const error = await failWith({ type: 'hang' }, 100);
    expect(error).toMatchObject({
      kind: 'timeout',
      outcome: 'unknown',
      retryable: true,
      code: 'ECONNABORTED',
    });
    expect(findSecret(error, KEY)).toEqual([]);
  });

  it('maps a refused connection (ECONNREFUSED) to a network error that was not sent', async () => {
    const closed = await startFakeSendGrid();
    const url = closed.url;
    await closed.close();
    const error = await failure(
      createSendGridProvider({ apiKey: KEY, baseUrl: url }).send(simpleMessage, sendContext()),
    );
    expect(error).toMatchObject({ kind: 'network', outcome: 'not-sent', code: 'ECONNREFUSED' });
    expect(findSecret(error, KEY)).toEqual([]);
  });

  it('keeps nothing of axios in a network error: no config, request or response', async () => {
    const error = await failWith({ type: 'reset' });
    expect(Object.keys(error.cause as object).sort()).toEqual(['code', 'message', 'name']);
    expect(error.cause).toEqual({ name: 'AxiosError', code: 'ECONNRESET', message: 'socket hang up' });
  });

  it('drops the Authorization header that the raw axios error carries in its config and request', async () => {
    const service = new MailService();
    service.setApiKey(KEY);
    (
      service as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
    ).client.setDefaultRequest('baseUrl', fake.url);
    fake.faults.enqueue({ type: 'reset' });
    const raw = await service.send(toSendGridMail(simpleMessage)).catch((caught: unknown) => caught);
    // The hazard: what the SDK rejects with holds the key, in config.headers and the request's raw header block.
    expect(findSecret(raw, KEY)).toContain('util.inspect');
    const mapped = mapSendGridError(raw);
    expect(mapped).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
    expect(findSecret(mapped, KEY)).toEqual([]);
  });
});
