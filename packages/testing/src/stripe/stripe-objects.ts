import { randomBytes } from 'node:crypto';

/** A Customer as the fake Stripe keeps and answers it. */
export interface FakeStripeCustomer {
  readonly id: string;
  readonly object: 'customer';
  readonly created: number;
  readonly livemode: false;
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  metadata: Record<string, string>;
}

/** The statuses a PaymentIntent of the fake goes through. */
export type FakePaymentIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'succeeded';

/** A card error, as `last_payment_error` keeps it. */
export interface FakeStripePaymentError {
  readonly type: 'card_error';
  readonly code: string;
  readonly decline_code: string | undefined;
  readonly message: string;
}

/** A PaymentIntent as the fake Stripe keeps and answers it. */
export interface FakeStripePaymentIntent {
  readonly id: string;
  readonly object: 'payment_intent';
  readonly created: number;
  readonly livemode: false;
  readonly amount: number;
  readonly currency: string;
  readonly customer: string | null;
  readonly client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  payment_method: string | null;
  status: FakePaymentIntentStatus;
  amount_received: number;
  latest_charge: string | null;
  last_payment_error: FakeStripePaymentError | null;
}

/** A charge: the fake makes one for every confirmation that reaches the card, declined or not. */
export interface FakeStripeCharge {
  readonly id: string;
  readonly object: 'charge';
  readonly created: number;
  readonly amount: number;
  readonly currency: string;
  readonly payment_intent: string;
  readonly payment_method: string;
  readonly status: 'succeeded' | 'failed';
  readonly failure_code: string | null;
  amount_refunded: number;
}

/** A Refund as the fake Stripe keeps and answers it. */
export interface FakeStripeRefund {
  readonly id: string;
  readonly object: 'refund';
  readonly created: number;
  readonly amount: number;
  readonly currency: string;
  readonly charge: string;
  readonly payment_intent: string;
  readonly status: 'succeeded';
  readonly reason: string | null;
  readonly metadata: Record<string, string>;
}

/** Something the fake applied: an object it created, with the idempotency key of the request. */
export interface FakeStripeWrite {
  readonly object: 'customer' | 'payment_intent' | 'charge' | 'refund';
  readonly id: string;
  /** The `Idempotency-Key` of the request that created it, when it had one. */
  readonly idempotencyKey: string | undefined;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id in Stripe's style: a prefix and random letters and digits, such as `cus_NffrFeUfNV2Hib`. */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${suffix}`;
}

/** Everything the fake Stripe has created, in order, and where to find it by id. */
export class FakeStripeState {
  readonly customers: FakeStripeCustomer[] = [];
  readonly paymentIntents: FakeStripePaymentIntent[] = [];
  readonly charges: FakeStripeCharge[] = [];
  readonly refunds: FakeStripeRefund[] = [];
  readonly writes: FakeStripeWrite[] = [];

  constructor(private readonly clock: () => number) {}

  /** The current time in Unix seconds, as Stripe's `created` fields hold it. */
  get nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Records an object the fake created. */
  created<T extends FakeStripeCustomer | FakeStripePaymentIntent | FakeStripeCharge | FakeStripeRefund>(
    object: T,
    idempotencyKey: string | undefined,
  ): T {
    if (object.object === 'customer') this.customers.push(object);
    else if (object.object === 'payment_intent') this.paymentIntents.push(object);
    else if (object.object === 'charge') this.charges.push(object);
    else this.refunds.push(object);
    this.writes.push({ object: object.object, id: object.id, idempotencyKey });
    return object;
  }

  /** The customer with this id, if any. */
  customer(id: string): FakeStripeCustomer | undefined {
    return this.customers.find((customer) => customer.id === id);
  }

  /** The PaymentIntent with this id, if any. */
  paymentIntent(id: string): FakeStripePaymentIntent | undefined {
    return this.paymentIntents.find((intent) => intent.id === id);
  }

  /** The charge with this id, if any. */
  charge(id: string): FakeStripeCharge | undefined {
    return this.charges.find((charge) => charge.id === id);
  }

  /** Forgets everything. */
  clear(): void {
    for (const list of [this.customers, this.paymentIntents, this.charges, this.refunds, this.writes])
      list.length = 0;
  }
}
