import { describe, expect, it } from 'vitest';
import { parseStripeForm } from './stripe-form';

describe('parseStripeForm', () => {
  it('reads flat parameters as strings, decoding the form encoding', () => {
    expect(parseStripeForm('email=ada%40example.com&name=Ada+Lovelace&amount=1000')).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      amount: '1000',
    });
  });

  it('builds nested objects from bracket keys, encoded or not', () => {
    expect(parseStripeForm('metadata[order]=42&metadata%5Bplan%5D=pro&address[line1]=1+Main')).toEqual({
      metadata: { order: '42', plan: 'pro' },
      address: { line1: '1 Main' },
    });
  });

  it('builds arrays from indexed keys and from empty brackets, objects inside arrays included', () => {
    expect(
      parseStripeForm(
        'expand[0]=customer&expand[1]=latest_charge&items[0][price]=p_1&items[0][quantity]=2&tags[]=a&tags[]=b',
      ),
    ).toEqual({
      expand: ['customer', 'latest_charge'],
      items: [{ price: 'p_1', quantity: '2' }],
      tags: ['a', 'b'],
    });
  });

  it('keeps an empty value as an empty string, which Stripe reads as unset', () => {
    expect(parseStripeForm('description=&metadata[old]=')).toEqual({
      description: '',
      metadata: { old: '' },
    });
  });

  it('reads a key with malformed brackets as a flat name', () => {
    expect(parseStripeForm('a[b=1&c]d=2&[x]=3')).toEqual({ 'a[b': '1', 'c]d': '2', '[x]': '3' });
  });

  it('gives an empty object for an empty body', () => {
    expect(parseStripeForm('')).toEqual({});
  });
});
