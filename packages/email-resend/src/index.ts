export {
  createResendProvider,
  type ResendClient,
  type ResendProviderOptions,
} from './create-resend-provider';
export { formatAddress } from './format-address';
export {
  type MapResendErrorOptions,
  mapResendError,
  RESEND_ERROR_KINDS,
  type ResendErrorLike,
} from './map-resend-error';
export { NetworkAwareResend } from './network-aware-resend';
export { resendProviderFactory } from './resend-provider-factory';
export { toResendEmail } from './to-resend-email';
