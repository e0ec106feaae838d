import { ResilientError } from '@resilient/core';
import type { SendResult } from '../email-provider';

/** @internal Checks what a provider's `send` resolved with; a broken result may hide a sent message. */
export function checkSendResult(value: unknown, provider: string): SendResult {
  const messageId = (value as { messageId?: unknown } | null | undefined)?.messageId;
  if (typeof messageId !== 'string' || messageId === '')
    throw brokenResult(provider, 'send', 'without a messageId');
  return { provider, messageId };
}

/** @internal Checks what a provider's `sendBatch` resolved with: one result per message. */
export function checkBatchResult(value: unknown, provider: string, count: number): SendResult[] {
  if (!Array.isArray(value) || value.length !== count)
    throw brokenResult(provider, 'sendBatch', `without one result for each of the ${count} messages`);
  return value.map((item) => {
    const messageId = (item as { messageId?: unknown } | null | undefined)?.messageId;
    if (typeof messageId !== 'string' || messageId === '')
      throw brokenResult(provider, 'sendBatch', 'with a result that has no messageId');
    return { provider, messageId };
  });
}

/** The provider broke the contract after the request went out: it may have sent the message. */
function brokenResult(provider: string, method: string, what: string): ResilientError {
  return new ResilientError({
    kind: 'unknown',
    outcome: 'unknown',
    retryable: false,
    service: provider,
    message: `${provider}: ${method} resolved ${what}, which breaks the EmailProvider contract`,
  });
}
