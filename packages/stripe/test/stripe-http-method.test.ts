import { describe, expect, it } from 'vitest';
import { stripeHttpMethodOf } from '../src/stripe-http-method';

describe('stripeHttpMethodOf', () => {
  it('reads retrieve, list and search methods as GETs', () => {
    for (const name of ['retrieve', 'retrieveUpcoming', 'list', 'listLineItems', 'search'])
      expect(stripeHttpMethodOf(name)).toBe('GET');
  });

  it('reads del and delete methods as DELETEs', () => {
    for (const name of ['del', 'deleteDiscount', 'deleteSource'])
      expect(stripeHttpMethodOf(name)).toBe('DELETE');
  });

  it('reads every other method as a POST', () => {
    for (const name of [
      'create',
      'update',
      'confirm',
      'capture',
      'cancel',
      'pay',
      'delivery',
      'createPreview',
    ])
      expect(stripeHttpMethodOf(name)).toBe('POST');
  });
});
