import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * @internal Fails when `secret` shows in any way a value is commonly logged: `String(value)`,
 * `JSON.stringify(value)` and `util.inspect(value, { depth: Infinity })` (which walks `cause` chains).
 * The failure message names the view, never the text, so the key does not land in the test report.
 */
export function expectNoSecret(value: unknown, secret: string, what: string): void {
  const views: Record<string, () => string> = {
    'String()': () => String(value),
    'JSON.stringify()': () => JSON.stringify(value) ?? '',
    'util.inspect(depth: Infinity)': () => inspect(value, { depth: Number.POSITIVE_INFINITY }),
  };
  for (const [view, render] of Object.entries(views)) {
    expect(render().includes(secret), `${view} of ${what} shows the API key`).toBe(false);
  }
}
