import { describe, expect, it } from 'vitest';
import { readMessage, readNews } from '../src/circuit-news';

describe('readNews', () => {
  it('reads a reply of strings or numbers', () => {
    expect(readNews(['open', '2500', '3', '1795952642490914'])).toEqual({
      state: { state: 'open', openForMs: 2500, consecutiveOpens: 3 },
      gen: 1795952642490914,
    });
    expect(readNews(['closed', 0, 0, 7])).toEqual({
      state: { state: 'closed', openForMs: 0, consecutiveOpens: 0 },
      gen: 7,
    });
  });

  it.each([
    [['exploded', '0', '0', '1']],
    [['open', '-1', '0', '1']],
    [['open', 'NaN', '0', '1']],
    [['open', '0', '1.5', '1']],
    [['open', '0', '0', '-3']],
    [[]],
  ])('refuses %j', (row) => {
    expect(readNews(row)).toBeUndefined();
  });
});

describe('readMessage', () => {
  it('reads what the publish scripts write', () => {
    expect(readMessage(JSON.stringify(['resend', 'isolated', '0', '1', 'abc:1', '42']))).toEqual({
      name: 'resend',
      origin: 'abc:1',
      news: { state: { state: 'isolated', openForMs: 0, consecutiveOpens: 1 }, gen: 42 },
    });
  });

  it.each(['not json', '{"name":"resend"}', '[1, "open", "0", "0", "x", "1"]', '["resend", "melted"]'])(
    'ignores %s',
    (message) => {
      expect(readMessage(message)).toBeUndefined();
    },
  );
});
