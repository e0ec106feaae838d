import { type ClerkClient, type ClerkOptions, createClerkClient } from '@clerk/backend';
import type { ResilientPipeline } from '@resilient/core';
import { ClerkCallRunner } from './clerk-call-runner';
import type { ClerkApiName, ResilientApi } from './resilient-api';
import { type ResilientClerkOptions, resolveClerkOptions } from './resilient-clerk-options';
import { wrapClerkApi } from './wrap-clerk-api';

/** Options of one {@link ResilientClerk.call}. */
export interface ClerkCallOptions {
  /** The call can be repeated without harm, so it may be retried after an unknown outcome. Default: `false`. */
  readonly idempotent?: boolean;
  /** Ends the operation at once with a `CancelledError` (the request already sent runs on). */
  readonly signal?: AbortSignal;
}

/**
 * A Clerk client whose Backend API calls run through a `resilient()` pipeline, with `@clerk/backend`'s
 * own types. Built by {@link createResilientClerk}.
 */
export interface ResilientClerk<C extends ClerkClient = ClerkClient> {
  /** The `@clerk/backend` client it wraps, for what needs no resilience (`authenticateRequest`, say). */
  readonly clerk: C;
  readonly users: ResilientApi<C['users']>;
  readonly organizations: ResilientApi<C['organizations']>;
  readonly sessions: ResilientApi<C['sessions']>;
  readonly invitations: ResilientApi<C['invitations']>;
  /** Any other API of the client, typed: `client.api('emailAddresses').getEmailAddress(id)`. */
  api<K extends ClerkApiName<C>>(name: K): ResilientApi<C[K]>;
  /**
   * Runs any call through the pipeline, named `operation`. Not retried after an unknown outcome unless
   * `idempotent` is set.
   *
   * @example
   * const count = await client.call('users.getCount', (clerk) => clerk.users.getCount(), { idempotent: true });
   */
  call<R>(
    operation: string,
    fn: (clerk: C) => R | PromiseLike<R>,
    options?: ClerkCallOptions,
  ): Promise<Awaited<R>>;
  /** The client's one pipeline, for health checks (`pipeline.breaker?.state`). */
  readonly pipeline: ResilientPipeline;
}

/**
 * Wraps a `@clerk/backend` client (or builds one from `ClerkOptions`, such as `{ secretKey }`) so that
 * its Backend API calls run through one standard `resilient()` pipeline: total and attempt timeouts,
 * one retry layer, one circuit breaker for the client, and Clerk's errors mapped onto the taxonomy
 * with {@link mapClerkError}. Clerk takes no idempotency keys, so a write whose outcome is unknown is
 * not retried; with `lookBeforeRetry`, `users.createUser` is, after looking for the user it may have
 * created.
 *
 * @example
 * const client = createResilientClerk(createClerkClient({ secretKey }), { lookBeforeRetry: true });
 * const user = await client.users.createUser({ emailAddress: [email], externalId: accountId });
 */
export function createResilientClerk<C extends ClerkClient = ClerkClient>(
  clerkOrSettings: C | ClerkOptions,
  options?: ResilientClerkOptions,
): ResilientClerk<C> {
  const resolved = resolveClerkOptions(options);
  const clerk = toClerkClient<C>(clerkOrSettings);
  const runner = new ClerkCallRunner(resolved);
  const apis = new Map<string, object>();
  const api = (name: string): object => {
    let wrapped = apis.get(name);
    if (wrapped === undefined) {
      const target: unknown = Reflect.get(clerk, name);
      if (typeof target !== 'object' || target === null || name.startsWith('_'))
        throw new TypeError(`api: clerk.${name} is not a Clerk Backend API`);
      wrapped = wrapClerkApi({ runner, name, api: target, clerk, lookBeforeRetry: resolved.lookBeforeRetry });
      apis.set(name, wrapped);
    }
    return wrapped;
  };
  const client = {
    clerk,
    pipeline: runner.pipeline,
    get users() {
      return api('users');
    },
    get organizations() {
      return api('organizations');
    },
    get sessions() {
      return api('sessions');
    },
    get invitations() {
      return api('invitations');
    },
    api,
    call<R>(operation: string, fn: (clerk: C) => R | PromiseLike<R>, callOptions: ClerkCallOptions = {}) {
      if (typeof operation !== 'string' || operation.trim() === '' || typeof fn !== 'function')
        return Promise.reject(
          new TypeError('call: give an operation name, such as "users.getCount", and a function'),
        );
      return runner.run(
        { operation, idempotent: callOptions.idempotent === true, signal: callOptions.signal },
        () => fn(clerk),
      );
    },
  };
  return client as unknown as ResilientClerk<C>;
}

function toClerkClient<C>(value: unknown): C {
  if (typeof value !== 'object' || value === null)
    throw new TypeError(
      'createResilientClerk: give a client from createClerkClient(), or its settings such as { secretKey }',
    );
  if (typeof Reflect.get(value, 'users') === 'object') return value as C;
  return createClerkClient(value as ClerkOptions) as unknown as C;
}
