export {
  createSendGridProvider,
  DEFAULT_SENDGRID_TIMEOUT_MS,
  type SendGridClient,
  type SendGridProviderOptions,
} from './create-sendgrid-provider';
export { type MapSendGridErrorOptions, mapSendGridError } from './map-sendgrid-error';
export { sendgridProviderFactory } from './sendgrid-provider-factory';
export { type SendGridAddress, toSendGridAddress } from './to-sendgrid-address';
export { toSendGridMail } from './to-sendgrid-mail';
