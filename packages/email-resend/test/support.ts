// The message and context fixtures every provider's tests share live in @resilient/email/testing.
export {
  fullEmailMessage as fullMessage,
  sendContext,
  simpleEmailMessage as simpleMessage,
} from '@resilient/email/testing';
