import { AuthError, ResilientError, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { alertOnAuthFailures } from '../src/alert-on-auth-failures';
import type { AlertSink, AuthAlert } from '../src/alert-sink';
import { consoleAlertSink } from '../src/console-alert-sink';

const KEY = 're_canary_alerting_77aa11';

function recordingSink(): AlertSink & { alerts: AuthAlert[] } {
  const alerts: AuthAlert[] = [];
  return { name: 'recording', alerts, send: (alert) => void alerts.push(alert) };
}

function setup(sinks: AlertSink[], windowMs?: number) {
  const clock = new FakeClock();
  const alerts = alertOnAuthFailures({ sinks, clock, windowMs });
  const pipeline = resilient({
    service: 'resend',
    plugins: [alerts],
    clock,
    retry: false,
    circuitBreaker: false,
  });
  const refused = () =>
    pipeline
      .execute(
        () =>
          Promise.reject(
            new AuthError({
              service: 'resend',
              status: 401,
              code: 'invalid_api_key',
              message: `resend: API key is invalid: Bearer ${KEY}`,
            }),
          ),
        { operation: 'emails.send' },
      )
      .catch((error: unknown) => error);
  return { clock, alerts, pipeline, refused };
}

describe('alertOnAuthFailures', () => {
  it('sends one alert for 10,000 refused calls within the window, and one more after it', async () => {
    const sink = recordingSink();
    const { clock, alerts, refused } = setup([sink]);
    for (let call = 0; call < 10_000; call++) await refused();
    await alerts.flush();
    expect(sink.alerts).toHaveLength(1);
    await clock.advance(15 * 60_000 - 1);
    await refused();
    await alerts.flush();
    expect(sink.alerts).toHaveLength(1);
    await clock.advance(1);
    await refused();
    await alerts.flush();
    expect(sink.alerts).toHaveLength(2);
  });

  it('describes the incident without the key', async () => {
    const sink = recordingSink();
    const { alerts, refused } = setup([sink]);
    await refused();
    await alerts.flush();
    expect(sink.alerts[0]).toMatchObject({
      service: 'resend',
      kind: 'auth',
      operation: 'emails.send',
      status: 401,
      code: 'invalid_api_key',
      at: '2026-01-01T00:00:00.000Z',
      message: 'resend: API key is invalid: Bearer [redacted]',
    });
    expect(sink.alerts[0]?.text).toBe(
      'resend refused the API key (invalid, expired or revoked): rotate it and update the secret (emails.send; HTTP 401, invalid_api_key)',
    );
    expect(JSON.stringify(sink.alerts)).not.toContain(KEY);
  });

  it('keeps incidents apart per service and kind, and ignores other kinds', async () => {
    const sink = recordingSink();
    const alerts = alertOnAuthFailures({ sinks: [sink], clock: new FakeClock() });
    alerts.report(new AuthError({ service: 'resend' }));
    alerts.report(new AuthError({ service: 'resend', kind: 'permission' }));
    alerts.report(new AuthError({ service: 'stripe' }));
    alerts.report(new AuthError({ service: 'stripe' }));
    alerts.report(new ResilientError({ kind: 'server', service: 'stripe' }));
    await alerts.flush();
    expect(sink.alerts.map((alert) => `${alert.service}:${alert.kind}`)).toEqual([
      'resend:auth',
      'resend:permission',
      'stripe:auth',
    ]);
  });

  it('alerts again at once after a success ended the incident', async () => {
    const sink = recordingSink();
    const { alerts, pipeline, refused } = setup([sink]);
    await refused();
    await pipeline.execute(async () => 'sent');
    await refused();
    await alerts.flush();
    expect(sink.alerts).toHaveLength(2);
  });

  it('never breaks a call when a sink throws or rejects, and reports each failure', async () => {
    const reports: string[] = [];
    const clock = new FakeClock();
    const working = recordingSink();
    const alerts = alertOnAuthFailures({
      sinks: [
        {
          name: 'throws',
          send: () => {
            throw new Error('sink down');
          },
        },
        { name: 'rejects', send: () => Promise.reject(new Error('webhook 500')) },
        working,
      ],
      clock,
      onSinkError: (error, sink) => reports.push(`${sink.name}: ${(error as Error).message}`),
    });
    const pipeline = resilient({ service: 'resend', plugins: [alerts], clock, retry: false });
    const error = await pipeline
      .execute(() => Promise.reject(new AuthError({ service: 'resend', status: 401 })))
      .catch((caught: unknown) => caught);
    await alerts.flush();
    expect(AuthError.isInstance(error)).toBe(true);
    expect(reports).toEqual(['throws: sink down', 'rejects: webhook 500']);
    expect(working.alerts).toHaveLength(1);
    expect(await pipeline.execute(async () => 'still works')).toBe('still works');
  });

  it('warns once per failing sink by default, with the message redacted', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const alerts = alertOnAuthFailures({
      sinks: [{ name: 'broken', send: () => Promise.reject(new Error(`refused Bearer ${KEY}`)) }],
      windowMs: 1,
      clock: new FakeClock(),
    });
    alerts.report(new AuthError({ service: 'a' }));
    alerts.report(new AuthError({ service: 'b' }));
    await alerts.flush();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      '[resilient] alert sink "broken" failed (further failures are not shown): refused Bearer [redacted]',
    );
  });

  it('writes a console alert as one line', async () => {
    const lines: unknown[] = [];
    const alerts = alertOnAuthFailures({
      sinks: [consoleAlertSink({ console: { error: (line: unknown) => lines.push(line) } })],
      clock: new FakeClock(),
    });
    alerts.report(new AuthError({ service: 'sendgrid', status: 401 }), 'mail.send');
    await alerts.flush();
    expect(lines).toEqual([
      '[resilient] ALERT sendgrid refused the API key (invalid, expired or revoked): rotate it and update the secret (mail.send; HTTP 401)',
    ]);
  });

  it('validates its options at construction, naming the option', () => {
    expect(() => alertOnAuthFailures({ sinks: [] })).toThrow(/sinks must be a non-empty array/);
    expect(() => alertOnAuthFailures({ sinks: [{} as never] })).toThrow(/sinks\[0\] must have a send method/);
    expect(() => alertOnAuthFailures({ sinks: [recordingSink()], windowMs: 0 })).toThrow(
      'alertOnAuthFailures: windowMs must be a whole number of milliseconds >= 1; got 0',
    );
    expect(() => alertOnAuthFailures({ sinks: [recordingSink()], windowMs: 2 ** 31 })).toThrow(/windowMs/);
    expect(() => alertOnAuthFailures({ sinks: [recordingSink()], window: 5 } as never)).toThrow(
      /unknown option "window"/,
    );
  });
});
