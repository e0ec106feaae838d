import type { EmailFault } from '@resilient/email/testing';
import { describeEmailProviderConformance } from '@resilient/email/testing';
import { type Fault, startFakeSendGrid } from '@resilient/testing';
import { MailService } from '@sendgrid/mail';
import { createSendGridProvider, type SendGridClient } from '../src/create-sendgrid-provider';

const KEY = 'SG.canary-7f3a9c2d41';

/** The fake's fault for each fault of the suite (`network-refused` is arranged on the client side). */
const FAULTS: Record<Exclude<EmailFault['type'], 'rate-limit' | 'network-refused'>, Fault> = {
  'quota-exceeded': { type: 'status', status: 401, message: 'Maximum credits exceeded' },
  auth: { type: 'status', status: 401 },
  'invalid-request': { type: 'status', status: 400 },
  server: { type: 'status', status: 500 },
  unavailable: { type: 'status', status: 503 },
  'network-reset': { type: 'reset' },
  'applied-response-lost': { type: 'applied-response-lost' },
  hang: { type: 'hang' },
};

/** A dedicated MailService for a base URL, the key set first (it resets the base URL). */
function mailService(baseUrl: string): MailService {
  const service = new MailService();
  service.setApiKey(KEY);
  (
    service as unknown as { client: { setDefaultRequest(key: string, value: string): void } }
  ).client.setDefaultRequest('baseUrl', baseUrl);
  return service;
}

describeEmailProviderConformance({
  name: 'sendgrid',
  // mail.send takes no signal: an aborted attempt is rejected by the pipeline at once, but the HTTP
  // call itself runs on until the provider's timeoutMs.
  honoursAbortSignal: false,
  async setup() {
    const fake = await startFakeSendGrid({ apiKey: KEY });
    const closed = await startFakeSendGrid();
    await closed.close();
    const working = mailService(fake.url);
    // A real refused connection, through the real SDK: the next send goes to a port nothing listens on.
    const refusing = mailService(closed.url);
    let refuseNext = false;
    const client: SendGridClient = {
      send(...args: Parameters<SendGridClient['send']>) {
        const service = refuseNext ? refusing : working;
        refuseNext = false;
        return service.send(...args);
      },
      setTimeout(timeoutMs: number) {
        working.setTimeout(timeoutMs);
        refusing.setTimeout(timeoutMs);
      },
    };
    return {
      provider: createSendGridProvider({ client }),
      apiKey: KEY,
      arrange(fault: EmailFault) {
        if (fault.type === 'network-refused') refuseNext = true;
        else if (fault.type === 'rate-limit') {
          fake.faults.enqueue({ type: 'status', status: 429, retryAfterSeconds: fault.retryAfterSeconds });
        } else fake.faults.enqueue(FAULTS[fault.type]);
      },
      deliveries: () => fake.deliveries.length,
      requests: () => fake.requests,
      close: () => fake.close(),
    };
  },
});
