import { describe, expect, it } from 'vitest';
import { formatAddress } from '../src/format-address';
import { toBase64 } from '../src/to-base64';
import { toResendEmail } from '../src/to-resend-email';

describe('formatAddress', () => {
  it.each([
    ['ada@example.com', 'ada@example.com'],
    [' Ada <ada@example.com> ', 'Ada <ada@example.com>'],
    [{ email: 'ada@example.com' }, 'ada@example.com'],
    [{ email: 'ada@example.com', name: 'Ada Lovelace' }, 'Ada Lovelace <ada@example.com>'],
    [{ email: 'ada@example.com', name: 'Lovelace, Ada' }, '"Lovelace, Ada" <ada@example.com>'],
    [{ email: 'ada@example.com', name: 'Ada "the first"' }, '"Ada \\"the first\\"" <ada@example.com>'],
    [{ email: 'ada@example.com', name: '  ' }, 'ada@example.com'],
  ])('formats %j as %s', (address, expected) => {
    expect(formatAddress(address)).toBe(expected);
  });
});

describe('toBase64', () => {
  it('encodes bytes and passes base64 strings through', () => {
    expect(toBase64(new Uint8Array([0, 1, 2, 250, 255]))).toBe(
      Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
    );
    expect(toBase64('aGVsbG8=')).toBe('aGVsbG8=');
  });

  it('encodes content larger than one chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, index) => index % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('toResendEmail', () => {
  it('leaves out the fields the message leaves out', () => {
    expect(
      toResendEmail({ from: 'a@example.com', to: 'b@example.com', subject: 'S', html: '<p>x</p>' }),
    ).toEqual({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'S',
      html: '<p>x</p>',
    });
  });

  it('keeps several reply-to addresses as a list', () => {
    const email = toResendEmail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'S',
      text: 'x',
      replyTo: ['c@example.com', { email: 'd@example.com', name: 'D' }],
    });
    expect(email.replyTo).toEqual(['c@example.com', 'D <d@example.com>']);
  });
});
