/**
 * What a {@link RedisFleet} reports through its `onEvent` option: Redis stopping and starting to answer.
 * While Redis is unavailable the fleet answers from each process's own state (it fails open); these
 * events are how you notice. Error texts are scrubbed: no URL with a password ever appears in one.
 */
export type RedisFleetEvent =
  | {
      /** A command failed or timed out: the fleet now answers from local state. Reported once per outage. */
      readonly type: 'unavailable';
      /** The failure's message, scrubbed of credentials. */
      readonly error: string;
      /** When it happened, in epoch milliseconds (the fleet's clock). */
      readonly at: number;
    }
  | {
      /** A command succeeded again after an outage: the fleet shares state again. */
      readonly type: 'recovered';
      /** How long the outage lasted, in milliseconds. */
      readonly unavailableForMs: number;
      /** When it happened, in epoch milliseconds (the fleet's clock). */
      readonly at: number;
    };
