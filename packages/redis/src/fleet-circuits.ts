import { randomUUID } from 'node:crypto';
import type { CircuitFleetJoinOptions, CircuitFleetMember, CircuitFleetState } from '@resilient/core';
import type { Redis } from 'ioredis';
import { type CircuitNews, readMessage, readNews } from './circuit-news';
import { ACQUIRE_SCRIPT, FAILURE_SCRIPT, PUBLISH_SCRIPT, READ_SCRIPT } from './circuit-scripts';
import { type FleetConnection, UNAVAILABLE } from './fleet-connection';
import { FleetSubscriber } from './fleet-subscriber';
import type { LuaScript } from './lua-script';

/** Options of {@link FleetCircuits}. */
export interface FleetCircuitsOptions {
  /** The prefix of keys and the channel. */
  readonly prefix: string;
  /** Whether a member may probe on its own while Redis is unavailable (else it waits `recheckMs`). */
  readonly failOpen?: boolean;
  /** How long the fleet leaves Redis alone after a failure. */
  readonly recheckMs?: number;
  /** Trip the breaker when this many failures across the fleet fall within the window. Default: none. */
  readonly tripAfter?: { readonly failures: number; readonly windowMs: number };
  /** The clock of transitions waiting to be shared. Default: `Date.now`. */
  readonly now?: () => number;
}

/** A day: a breaker nobody touched for that long is closed (its hash is gone). */
const STATE_TTL_MS = 86_400_000;
const noop = (): void => {};

interface Member extends CircuitFleetMember {
  readonly id: string;
  /** The breaker's name. */
  readonly name: string;
  readonly onChange: (state: CircuitFleetState) => void;
  /** The newest change of its breaker this member knows of (the hash's `gen`). */
  lastGen: number;
  /** How many changes were delivered to it: a reply tells whether news arrived while it waited. */
  received: number;
  /** Whether its breaker left the fleet (`dispose()`). */
  left: boolean;
}

/**
 * @internal The breaker side of a Redis fleet. Breakers admit calls from memory; this keeps them in step:
 * - a member's transition runs `PUBLISH_SCRIPT` (one round trip, and only on a transition);
 * - other processes' transitions arrive on one pub/sub subscription per fleet, a connection of its own
 *   (`redis.duplicate()`), and reach the members of that name;
 * - a member due for a probe runs `ACQUIRE_SCRIPT` for the fleet's probe lease;
 * - on every (re)connection of the subscriber, members re-read their breaker (`READ_SCRIPT`), so news
 *   missed while disconnected is caught up.
 *
 * When Redis does not answer, transitions stay local, probes are granted locally, and the connection
 * reports the outage: the breakers fail open to their own state.
 */
export class FleetCircuits {
  private readonly connection: FleetConnection;
  private readonly prefix: string;
  private readonly channel: string;
  /** What `acquireProbe` answers while Redis is unavailable: 0 (probe on local state) or a wait. */
  private readonly unavailableWaitMs: number;
  private readonly instance = randomUUID();
  private readonly groups = new Map<string, Set<Member>>();
  /** How long to wait before sharing again a trip that Redis did not take (it was unavailable). */
  private readonly retryMs: number;
  /** Trips and isolations made while Redis was unavailable, to share once it answers again. */
  private readonly unsent = new Map<Member, { readonly state: CircuitFleetState; readonly at: number }>();
  /** Breakers whose catch-up read found Redis unavailable, to read again. */
  private readonly pendingCatchUp = new Set<string>();
  private readonly now: () => number;
  private readonly tripAfter: { readonly failures: number; readonly windowMs: number } | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private subscriber: FleetSubscriber | undefined;
  /**
   * The connection the breakers' scripts run on: a duplicate of your client with ioredis's offline
   * queue and its resending of unanswered commands turned off, so that no transition this process gave
   * up on (and decided locally) reaches Redis later and undoes a newer one.
   */
  private commands: Redis | undefined;
  private memberCount = 0;

  constructor(connection: FleetConnection, options: FleetCircuitsOptions) {
    this.connection = connection;
    this.prefix = options.prefix;
    this.channel = `${options.prefix}:breaker`;
    this.unavailableWaitMs = options.failOpen === false ? Math.max(1, options.recheckMs ?? 1000) : 0;
    this.retryMs = Math.max(50, options.recheckMs ?? 1000);
    this.now = options.now ?? Date.now;
    this.tripAfter = options.tripAfter;
  }

  /** Joins a breaker to the fleet (see core's `CircuitFleet.joinCircuit`). */
  join(
    name: string,
    onChange: (state: CircuitFleetState) => void,
    options: CircuitFleetJoinOptions,
  ): CircuitFleetMember {
    let members = this.groups.get(name);
    if (members === undefined) {
      members = new Set();
      this.groups.set(name, members);
    }
    const group = members;
    const member: Member = {
      id: `${this.instance}:${++this.memberCount}`,
      name,
      onChange,
      lastGen: 0,
      received: 0,
      left: false,
      publish: (state) => this.publish(name, member, state),
      acquireProbe: () => this.acquire(name, member, options.probeLeaseMs),
      failed: this.tripAfter === undefined ? undefined : (trip) => this.failed(name, trip),
      leave: () => {
        member.left = true;
        this.unsent.delete(member);
        group.delete(member);
        if (group.size === 0 && this.groups.get(name) === group) this.groups.delete(name);
      },
    };
    group.add(member);
    this.subscribe();
    if (this.subscriber?.isLive === true) void this.catchUp([name]);
    return member;
  }

  /** Closes the subscriber connection. Members stay usable, on local state. */
  async close(): Promise<void> {
    const subscriber = this.subscriber;
    const commands = this.commands;
    this.subscriber = undefined;
    this.commands = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.unsent.clear();
    this.pendingCatchUp.clear();
    await Promise.all([subscriber?.close(), commands?.quit().catch(() => commands.disconnect())]);
  }

  private key(name: string): string {
    return `${this.prefix}:breaker:${name}`;
  }

  private publish(name: string, member: Member, state: CircuitFleetState): void {
    if (state.state === 'half-open') return; // the probe lease is taken with acquireProbe
    this.unsent.delete(member); // a newer transition supersedes one not yet shared
    const args = [this.channel, name, state.state, Math.round(state.openForMs), state.consecutiveOpens];
    const at = this.now();
    const received = member.received;
    void this.run(PUBLISH_SCRIPT, [this.key(name)], [...args, member.id, STATE_TTL_MS]).then((reply) => {
      if (reply === UNAVAILABLE || !Array.isArray(reply)) {
        // A local transition for now. A trip or an isolation is shared once Redis answers again, so
        // the fleet learns of it; a close is not (the others find out with a probe of their own). Not
        // if the member has moved on meanwhile (it took newer news) or left.
        if (
          state.state !== 'closed' &&
          member.received === received &&
          !member.left &&
          !this.unsent.has(member) &&
          this.subscriber !== undefined
        ) {
          this.unsent.set(member, { state, at });
          this.retryLater();
        }
        return;
      }
      const fleetState = readNews(reply.slice(1));
      if (fleetState === undefined) return;
      // On 0 another member was first: take the fleet's state. On 1 the fleet took this member's
      // transition; if older news reached the member meanwhile (pub/sub and replies travel apart),
      // the member takes its own transition back.
      if (reply[0] === 0 || member.received !== received) this.deliver(member, fleetState, 'answer');
      else member.lastGen = Math.max(member.lastGen, fleetState.gen);
    });
  }

  /**
   * After `retryMs`, shares the unsent trips again (with what is left of their breaks) and re-reads the
   * breakers whose catch-up failed. One timer for all, unref'd, and only while something waits.
   */
  private retryLater(): void {
    if (this.retryTimer !== undefined || this.subscriber === undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const now = this.now();
      for (const [member, { state, at }] of [...this.unsent]) {
        this.unsent.delete(member);
        const openForMs = Math.max(0, state.openForMs - (now - at));
        // A trip whose break is over by now has nothing left to tell the fleet.
        if (state.state === 'open' && openForMs === 0) continue;
        this.publish(member.name, member, { ...state, openForMs });
      }
      if (this.pendingCatchUp.size > 0 && this.subscriber?.isLive === true) {
        const names = [...this.pendingCatchUp];
        this.pendingCatchUp.clear();
        void this.catchUp(names);
      }
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  /** Counts a member's failure across the fleet; the script trips the breaker at `tripAfter.failures`. */
  private failed(name: string, trip: CircuitFleetState): void {
    const tripAfter = this.tripAfter!;
    const args = [this.channel, name, tripAfter.failures, tripAfter.windowMs, Math.round(trip.openForMs)];
    // Fire and forget: a trip reaches every member (this one too) on the channel; when Redis is away,
    // the breakers' own strategies still decide.
    void this.run(FAILURE_SCRIPT, [this.key(name)], [...args, trip.consecutiveOpens, STATE_TTL_MS]);
  }

  private async acquire(name: string, member: Member, leaseMs: number): Promise<number> {
    const args = [this.channel, name, member.id, Math.max(1, Math.round(leaseMs)), STATE_TTL_MS];
    const reply = await this.run(ACQUIRE_SCRIPT, [this.key(name)], args);
    // Fail open: probe on local state. Fail closed: stay open until Redis answers.
    if (reply === UNAVAILABLE || !Array.isArray(reply)) return this.unavailableWaitMs;
    if (reply[0] === 'wait') return Math.max(1, Number(reply[1]) || 1);
    if (reply[0] === 'granted') {
      member.lastGen = Math.max(member.lastGen, Number(reply[1]) || 0);
      return 0;
    }
    // Behind: the breaker is closed or isolated. The member takes that state first, then re-decides.
    const behind = readNews(reply.slice(1));
    if (behind !== undefined) this.deliver(member, behind, 'answer');
    return 0;
  }

  /** Runs a breaker script on the fleet's own command connection. */
  private run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const commands = this.commands;
    return commands === undefined
      ? Promise.resolve(UNAVAILABLE)
      : this.connection.run(script, keys, args, commands);
  }

  private subscribe(): void {
    if (this.subscriber !== undefined) return;
    const commands = this.connection.redis.duplicate({
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
    });
    commands.on('error', noop);
    this.connection.track(commands);
    this.commands = commands;
    this.subscriber = new FleetSubscriber(
      this.connection.redis,
      this.channel,
      (message) => this.receive(message),
      () => void this.catchUp([...this.groups.keys()]),
    );
  }

  private receive(text: string): void {
    const message = readMessage(text);
    const group = message === undefined ? undefined : this.groups.get(message.name);
    if (message === undefined || group === undefined) return;
    for (const member of group) if (member.id !== message.origin) this.deliver(member, message.news, 'news');
  }

  /**
   * Re-reads breakers after a (re)subscription and tells their members what changed; a read that finds
   * Redis unavailable is tried again later. A member with a trip not yet shared keeps it rather than
   * take a `closed` read: its trip is about to reach the fleet.
   */
  private async catchUp(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const reply = await this.run(
      READ_SCRIPT,
      names.map((name) => this.key(name)),
      [],
    );
    if (reply === UNAVAILABLE || !Array.isArray(reply)) {
      for (const name of names) this.pendingCatchUp.add(name);
      this.retryLater();
      return;
    }
    names.forEach((name, index) => {
      const row = reply[index];
      const read = Array.isArray(row) ? readNews(row) : undefined;
      const group = this.groups.get(name);
      if (read === undefined || group === undefined) return;
      for (const member of group) {
        if (read.state.state !== 'closed' || !this.unsent.has(member)) this.deliver(member, read, 'news');
      }
    });
  }

  /**
   * Tells a member of a change. `news` (pub/sub, catch-up) only when newer than what it knows; an
   * `answer` to its own request unless older. A transition of its own not yet shared is dropped: the
   * fleet has moved on.
   */
  private deliver(member: Member, change: CircuitNews, kind: 'news' | 'answer'): void {
    if (kind === 'news' ? !(change.gen > member.lastGen) : change.gen < member.lastGen) return;
    member.lastGen = change.gen;
    member.received++;
    this.unsent.delete(member);
    try {
      member.onChange(change.state);
    } catch {
      // A breaker's onChange never throws; a member of a custom breaker must not break the fleet.
    }
  }
}
