import type Stripe from 'stripe';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ResilientRequestOptions,
  ResilientResource,
  ResilientStripe,
  StripeResourceName,
} from '../src/index';

type Client = ResilientStripe<Stripe>;

describe("the client's types, checked by the compiler", () => {
  it("keeps stripe-node's parameter and result types, and adds a signal to the request options", () => {
    expectTypeOf<Client['customers']['create']>().parameters.toEqualTypeOf<
      [params?: Stripe.CustomerCreateParams, options?: ResilientRequestOptions]
    >();
    expectTypeOf<Client['customers']['create']>().returns.toEqualTypeOf<
      Promise<Stripe.Response<Stripe.Customer>>
    >();
    expectTypeOf<Client['paymentIntents']['confirm']>().parameters.toEqualTypeOf<
      [id: string, params?: Stripe.PaymentIntentConfirmParams, options?: ResilientRequestOptions]
    >();
    expectTypeOf<ResilientRequestOptions>().toHaveProperty('signal');
  });

  it('resolves a list to its page, without the auto-pagination helpers', () => {
    expectTypeOf<Client['refunds']['list']>().returns.toEqualTypeOf<
      Promise<Stripe.Response<Stripe.ApiList<Stripe.Refund>>>
    >();
  });

  it('exposes API methods only, and any top-level resource by name', () => {
    expectTypeOf<keyof Client['subscriptions']>().toEqualTypeOf<
      keyof ResilientResource<Stripe['subscriptions']>
    >();
    expectTypeOf<'_makeRequest'>().not.toMatchTypeOf<keyof Client['customers']>();
    expectTypeOf<'initialize'>().not.toMatchTypeOf<keyof Client['customers']>();
    expectTypeOf<'invoices'>().toMatchTypeOf<StripeResourceName<Stripe>>();
    expectTypeOf<'webhooks'>().not.toMatchTypeOf<StripeResourceName<Stripe>>();
  });

  it('types call() by what the function returns, awaited', () => {
    const create = (client: Client) =>
      client.call('invoices.create', (stripe, requestOptions) => stripe.invoices.create({}, requestOptions));
    const list = (client: Client) =>
      client.call('invoices.list', (stripe, requestOptions) =>
        stripe.invoices.list({ limit: 3 }, requestOptions),
      );
    expectTypeOf<ReturnType<typeof create>>().toEqualTypeOf<Promise<Stripe.Response<Stripe.Invoice>>>();
    expectTypeOf<ReturnType<typeof list>>().toEqualTypeOf<
      Promise<Stripe.Response<Stripe.ApiList<Stripe.Invoice>>>
    >();
  });
});
