import type { ClerkCallRunner } from './clerk-call-runner';
import { isRepeatableClerkMethod } from './clerk-operation';
import { findCreatedUser, type UserLookup, userNaturalKey } from './look-before-create';

/** What wrapping one API object needs. */
export interface WrapClerkApiOptions {
  readonly runner: ClerkCallRunner;
  /** The API's name on the client, such as `users`. */
  readonly name: string;
  /** The API object, such as `clerk.users`. */
  readonly api: object;
  /** The whole client, for the look before a retried `users.createUser`. */
  readonly clerk: object;
  readonly lookBeforeRetry: boolean;
}

/**
 * A stand-in for one Clerk API object whose methods run through the runner's pipeline, each named
 * `<api>.<method>`: reads are repeatable, other calls are not retried after an unknown outcome, except
 * `users.createUser` with `lookBeforeRetry`, whose retries first look for the user by its natural key.
 * Properties that are not functions are read through; methods are bound to the API object.
 */
export function wrapClerkApi(options: WrapClerkApiOptions): object {
  const { runner, name, api, clerk } = options;
  const cache = new Map<string, unknown>();
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function' || property === 'constructor')
        return value;
      let wrapped = cache.get(property);
      if (wrapped === undefined) {
        const method = value as (...args: unknown[]) => unknown;
        const guarded = options.lookBeforeRetry && name === 'users' && property === 'createUser';
        wrapped = (...args: unknown[]) => {
          const key = guarded ? userNaturalKey(args[0]) : undefined;
          return runner.run(
            {
              operation: `${name}.${property}`,
              idempotent: key !== undefined || isRepeatableClerkMethod(property),
            },
            async ({ retrying }) => {
              if (key !== undefined && retrying) {
                const found = await findCreatedUser(clerk as UserLookup<unknown>, key);
                if (found !== undefined) return found;
              }
              return method.apply(target, args);
            },
          );
        };
        cache.set(property, wrapped);
      }
      return wrapped;
    },
  });
}
