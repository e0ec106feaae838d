/** A Clerk API object's methods (those that return promises), each with the same parameters and result. */
export type ResilientApi<Api> = {
  readonly [K in keyof Api as Api[K] extends (...args: never[]) => Promise<unknown> ? K : never]: Api[K];
};

/** The names of a Clerk client's API objects (`users`, `organizations`, `emailAddresses`...). */
export type ClerkApiName<Client> = {
  [K in keyof Client]: K extends string
    ? K extends `_${string}` | `__${string}`
      ? never
      : Client[K] extends object
        ? Client[K] extends (...args: never[]) => unknown
          ? never
          : K
        : never
    : never;
}[keyof Client];
