import { EmailDeliveryError, type EmailSendResult } from '@resilient/email';
import { EMAIL_FAULT_TYPES, type EmailFaultType } from '@resilient/email/testing';
import { describe, expect, it } from 'vitest';
import { MESSAGE, settle, twoProviders } from './support/email-test-kit';

/** Every fault at each provider (or none), with and without keys, with and without the opt-in. */
const FAULTS: readonly (EmailFaultType | 'none')[] = ['none', ...EMAIL_FAULT_TYPES];
const CASES = FAULTS.flatMap((primaryFault) =>
  FAULTS.flatMap((secondaryFault) =>
    [false, true].flatMap((idempotencyKeys) =>
      [false, true].map((allowDuplicateRisk) => ({
        primaryFault,
        secondaryFault,
        idempotencyKeys,
        allowDuplicateRisk,
      })),
    ),
  ),
);

describe('createEmailClient: every send ends', () => {
  it(`with a result or a typed error, and never delivers twice without the opt-in (${CASES.length} cases)`, async () => {
    const failures: string[] = [];
    for (const { primaryFault, secondaryFault, idempotencyKeys, allowDuplicateRisk } of CASES) {
      const label = `${primaryFault}/${secondaryFault} keys=${idempotencyKeys} risk=${allowDuplicateRisk}`;
      const { client, primary, secondary, clock } = twoProviders({
        allowDuplicateRisk,
        primary: { idempotencyKeys },
        secondary: { idempotencyKeys },
      });
      // Every attempt at a provider fails the same way, so retries cannot hide the fault.
      if (primaryFault !== 'none') primary.failAlways(primaryFault);
      if (secondaryFault !== 'none') secondary.failAlways(secondaryFault);
      const outcome = await settle(client.send(MESSAGE), clock);
      const delivered = primary.deliveries.length + secondary.deliveries.length;

      if (outcome.status === 'pending') failures.push(`${label}: hung`);
      else if (outcome.status === 'resolved') {
        const result: EmailSendResult = outcome.value;
        if (typeof result?.messageId !== 'string' || !['primary', 'secondary'].includes(result.provider))
          failures.push(`${label}: resolved with ${JSON.stringify(result)}`);
      } else if (!EmailDeliveryError.isInstance(outcome.error)) {
        failures.push(`${label}: rejected with something else than an EmailDeliveryError`);
      } else if (outcome.error.failures.length === 0) {
        failures.push(`${label}: an EmailDeliveryError without failures`);
      }
      if (!allowDuplicateRisk && delivered > 1) failures.push(`${label}: delivered ${delivered} times`);
      if (outcome.status === 'resolved' && delivered === 0)
        failures.push(`${label}: resolved without a delivery`);
    }
    expect(failures).toEqual([]);
  });
});
