import { inspect } from 'node:util';

/** The ways a value is commonly turned into text: where a secret must not show up. */
export type SecretView = 'String' | 'message' | 'stack' | 'JSON.stringify' | 'util.inspect';

/**
 * The views of `value` in which `secret` appears: `String(value)`, its `message` and `stack`,
 * `JSON.stringify(value)`, and `util.inspect(value)` at unlimited depth with hidden properties shown
 * (which walks the `cause` chain and every object an error keeps). Empty when the secret is nowhere.
 * A view that throws is skipped.
 */
export function findSecret(value: unknown, secret: string): SecretView[] {
  if (secret === '') throw new TypeError('findSecret: the secret must not be empty');
  const views: [SecretView, () => unknown][] = [
    ['String', () => String(value)],
    ['message', () => (value as { message?: unknown } | null)?.message],
    ['stack', () => (value as { stack?: unknown } | null)?.stack],
    ['JSON.stringify', () => JSON.stringify(value)],
    ['util.inspect', () => inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })],
  ];
  const found: SecretView[] = [];
  for (const [view, render] of views) {
    let text: unknown;
    try {
      text = render();
    } catch {
      continue;
    }
    if (typeof text === 'string' && text.includes(secret)) found.push(view);
  }
  return found;
}
