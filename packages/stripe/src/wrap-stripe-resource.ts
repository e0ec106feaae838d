import type { ResilientCallOptions } from './resilient-resource';
import type { AttemptRequestOptions, StripeCallRunner } from './stripe-call-runner';
import { stripeHttpMethodOf } from './stripe-http-method';

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Wraps a stripe-node resource object so that each of its API methods runs through `runner`. Since
 * stripe-node 22, every API method takes its request options as its last parameter (`create(params,
 * options)`, `retrieve(id, params, options)`), so the method's arity says where they go: the wrapper
 * pads the arguments the caller left out and merges the caller's options (without `signal`) with those
 * of each attempt. Only API methods are exposed: the methods of the resource's own class, not those of
 * `StripeResource` (`basePrototype`), not its instance fields, not names starting with `_`.
 */
export function wrapStripeResource(
  runner: StripeCallRunner,
  resourceName: string,
  target: object,
  basePrototype: object | undefined,
): object {
  const wrapped = new Map<string, AnyMethod>();
  return new Proxy(Object.create(null) as object, {
    get(_shadow, property) {
      if (!isApiMethod(target, property, basePrototype)) return undefined;
      let resilientMethod = wrapped.get(property);
      if (resilientMethod === undefined) {
        const method = Reflect.get(target, property) as AnyMethod;
        resilientMethod = wrapMethod(runner, resourceName, property, target, method);
        wrapped.set(property, resilientMethod);
      }
      return resilientMethod;
    },
    has(_shadow, property) {
      return isApiMethod(target, property, basePrototype);
    },
  });
}

/** Whether `name` is an API method of the resource: a function its class (or a subclass) defines. */
function isApiMethod(
  target: object,
  name: string | symbol,
  basePrototype: object | undefined,
): name is string {
  if (
    typeof name !== 'string' ||
    name.startsWith('_') ||
    name === 'constructor' ||
    Object.hasOwn(target, name)
  )
    return false;
  if (typeof Reflect.get(target, name) !== 'function') return false;
  for (
    let prototype: object | null = Object.getPrototypeOf(target);
    prototype !== null && prototype !== Object.prototype && prototype !== basePrototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    if (Object.hasOwn(prototype, name)) return true;
  }
  return false;
}

function wrapMethod(
  runner: StripeCallRunner,
  resourceName: string,
  methodName: string,
  target: object,
  method: AnyMethod,
): AnyMethod {
  const operation = `${resourceName}.${methodName}`;
  const position = method.length - 1;
  return (...args: unknown[]) => {
    if (position < 0) {
      return Promise.reject(
        new TypeError(
          `${operation} takes no request options, so the resilient client cannot run it; use client.call() instead`,
        ),
      );
    }
    const given = args[position];
    const { signal, ...callerOptions } = (isObject(given) ? given : {}) as ResilientCallOptions &
      Record<string, unknown>;
    const head = args.slice(0, position);
    while (head.length < position) head.push(undefined);
    return runner.run(
      {
        operation,
        resource: resourceName,
        method: stripeHttpMethodOf(methodName),
        idempotencyKey:
          typeof callerOptions.idempotencyKey === 'string' ? callerOptions.idempotencyKey : undefined,
        timeout: typeof callerOptions.timeout === 'number' ? callerOptions.timeout : undefined,
        signal,
        callerApiKey: typeof callerOptions.apiKey === 'string',
      },
      (attemptOptions: AttemptRequestOptions) =>
        method.apply(target, [...head, { ...callerOptions, ...attemptOptions }]),
    );
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
