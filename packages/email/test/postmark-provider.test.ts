import { describeEmailProviderConformance } from '@resilient/email/testing';
import { createPostmarkProvider } from '../examples/postmark-provider';
import { startFakePostmark } from './support/fake-postmark-server';

/** A realistic server token: the suite checks that it never shows in an error. */
const TOKEN = 'pm-server-token-3f9c1a7e-5b2d-4e8f-9a6c-0d1e2f3a4b5c';

describeEmailProviderConformance({
  name: 'postmark (example)',
  async setup() {
    const server = await startFakePostmark({ token: TOKEN });
    return {
      provider: createPostmarkProvider({ serverToken: TOKEN, baseUrl: server.url, fetch: server.fetch }),
      apiKey: TOKEN,
      arrange: (fault) => server.failNext(fault),
      deliveries: () => server.deliveries.length,
      requests: () => server.requests,
      close: () => server.close(),
    };
  },
});
