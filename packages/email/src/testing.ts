/**
 * Test helpers for email providers and the code that sends email. Import from
 * `@resilient/email/testing` in vitest files only: it imports `vitest`.
 *
 * - `describeEmailProviderConformance`: the suite every provider passes (see the guide, "Writing a
 *   custom provider");
 * - `InMemoryEmailProvider`: a provider that keeps what it sends and fails on demand;
 * - the fault table the suite and the in-memory provider share;
 * - message and send-context fixtures for a provider's own tests.
 */

export type {
  ConformanceHarness,
  ConformanceRequest,
  EmailProviderConformanceOptions,
} from './conformance/conformance-harness';
export { describeEmailProviderConformance } from './conformance/describe-email-provider-conformance';
export {
  EMAIL_FAULT_TYPES,
  type EmailFault,
  type EmailFaultType,
  FAULT_EXPECTATIONS,
  type FaultExpectation,
  OPTIONAL_EMAIL_FAULT_TYPES,
  type OptionalEmailFaultType,
} from './conformance/email-fault';
export {
  type InMemoryDelivery,
  InMemoryEmailProvider,
  type InMemoryEmailProviderOptions,
  type InMemoryRequest,
} from './in-memory/in-memory-email-provider';
export { fullEmailMessage, sendContext, simpleEmailMessage } from './testing/email-fixtures';
