export { isRepeatableClerkMethod } from './clerk-operation';
export {
  type ClerkCallOptions,
  createResilientClerk,
  type ResilientClerk,
} from './create-resilient-clerk';
export {
  createSessionVerifier,
  type SessionClaims,
  type SessionVerifier,
} from './create-session-verifier';
export type { JwksCacheStatus } from './jwks-cache';
export { type UserNaturalKey, userNaturalKey } from './look-before-create';
export { type MapClerkErrorOptions, mapClerkError } from './map-clerk-error';
export type { ClerkApiName, ResilientApi } from './resilient-api';
export type { ResilientClerkOptions } from './resilient-clerk-options';
export type { SessionVerifierOptions } from './session-verifier-options';
