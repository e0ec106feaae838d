import type { EmailFault } from '@resilient/email/testing';
import { describeEmailProviderConformance } from '@resilient/email/testing';
import { type Fault, startFakeResend } from '@resilient/testing';
import { createResendProvider, type ResendClient } from '../src/create-resend-provider';
import { NetworkAwareResend } from '../src/network-aware-resend';

const KEY = 'resend-canary-5b1f0c2e';

/** The fake's fault for each fault of the suite (`network-refused` is arranged on the client side). */
const FAULTS: Record<Exclude<EmailFault['type'], 'rate-limit' | 'network-refused'>, Fault> = {
  'quota-exceeded': { type: 'status', code: 'daily_quota_exceeded' },
  auth: { type: 'status', code: 'invalid_api_key' },
  'invalid-request': { type: 'status', code: 'validation_error' },
  server: { type: 'status', code: 'application_error', status: 500 },
  unavailable: { type: 'status', code: 'application_error', status: 503 },
  'network-reset': { type: 'reset' },
  'applied-response-lost': { type: 'applied-response-lost' },
  hang: { type: 'hang' },
};

describeEmailProviderConformance({
  name: 'resend',
  async setup() {
    const fake = await startFakeResend({ apiKey: KEY });
    const closed = await startFakeResend();
    await closed.close();
    const working = new NetworkAwareResend(KEY, { baseUrl: fake.url });
    // A real refused connection, through the real SDK: the next send goes to a port nothing listens on.
    const refusing = new NetworkAwareResend(KEY, { baseUrl: closed.url });
    let refuseNext = false;
    const pick = (): ResendClient => {
      const client = refuseNext ? refusing : working;
      refuseNext = false;
      return client;
    };
    const client = {
      emails: { send: (...args: Parameters<ResendClient['emails']['send']>) => pick().emails.send(...args) },
      batch: { send: (...args: Parameters<ResendClient['batch']['send']>) => pick().batch.send(...args) },
    } as unknown as ResendClient;
    return {
      provider: createResendProvider({ client }),
      apiKey: KEY,
      arrange(fault: EmailFault) {
        if (fault.type === 'network-refused') refuseNext = true;
        else if (fault.type === 'rate-limit') {
          fake.faults.enqueue({
            type: 'status',
            code: 'rate_limit_exceeded',
            retryAfterSeconds: fault.retryAfterSeconds,
          });
        } else fake.faults.enqueue(FAULTS[fault.type]);
      },
      deliveries: () => fake.deliveries.length,
      requests: () => fake.requests,
      close: () => fake.close(),
    };
  },
});
