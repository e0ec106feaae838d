/** What confirming a PaymentIntent with a test PaymentMethod does. */
export interface FakePaymentMethodBehaviour {
  /** `succeeds`, or the card error code a confirmation fails with (402). */
  readonly outcome: 'succeeds' | { readonly code: string; readonly declineCode?: string };
}

/**
 * The test PaymentMethods the fake Stripe accepts, named as Stripe's own test mode names them:
 * `pm_card_visa` and `pm_card_mastercard` succeed; `pm_card_chargeDeclined` is declined
 * (`card_declined`, `generic_decline`), `pm_card_chargeDeclinedInsufficientFunds` for
 * `insufficient_funds`, `pm_card_chargeDeclinedExpiredCard` with `expired_card`,
 * `pm_card_chargeDeclinedIncorrectCvc` with `incorrect_cvc`, `pm_card_chargeDeclinedProcessingError`
 * with `processing_error`. Any other `pm_...` id is `resource_missing`.
 */
export const FAKE_STRIPE_PAYMENT_METHODS: Readonly<Record<string, FakePaymentMethodBehaviour>> = {
  pm_card_visa: { outcome: 'succeeds' },
  pm_card_mastercard: { outcome: 'succeeds' },
  pm_card_chargeDeclined: { outcome: { code: 'card_declined', declineCode: 'generic_decline' } },
  pm_card_chargeDeclinedInsufficientFunds: {
    outcome: { code: 'card_declined', declineCode: 'insufficient_funds' },
  },
  pm_card_chargeDeclinedExpiredCard: { outcome: { code: 'expired_card' } },
  pm_card_chargeDeclinedIncorrectCvc: { outcome: { code: 'incorrect_cvc' } },
  pm_card_chargeDeclinedProcessingError: { outcome: { code: 'processing_error' } },
};
