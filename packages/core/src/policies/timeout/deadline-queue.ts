import type { Clock } from '../../clock/clock';

/** @internal One pending deadline. */
export interface DeadlineEntry<T> {
  readonly at: number;
  readonly value: T;
  /** A flag stored with the entry, so callers need no wrapper object (a timeout stores its scope). */
  readonly flag: boolean;
  previous: DeadlineEntry<T> | undefined;
  next: DeadlineEntry<T> | undefined;
  linked: boolean;
}

/**
 * @internal Deadlines served by one timer, kept in deadline order. Entries of one timeout policy
 * share a duration, so they arrive in order: adding appends and removing unlinks, both O(1), and no
 * call sets a timer of its own. The timer is armed for the earliest deadline and re-armed when it
 * fires. It is unref'd where the runtime allows, so it never keeps a process alive by itself: a call
 * that waits on a socket keeps the process alive through the socket, and an idle policy costs nothing.
 * (Ref'ing it only while deadlines are pending would cost a ref and an unref on every sequential call.)
 */
export class DeadlineQueue<T> {
  private head: DeadlineEntry<T> | undefined = undefined;
  private tail: DeadlineEntry<T> | undefined = undefined;
  private timer: unknown = undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly fire = (): void => this.expire();

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (value: T, flag: boolean) => void,
  ) {}

  add(at: number, value: T, flag = false): DeadlineEntry<T> {
    // Same-duration deadlines arrive in order, so this walk stops at once; it only moves when the
    // clock stepped back.
    let before = this.tail;
    while (before !== undefined && before.at > at) before = before.previous;
    const after = before === undefined ? this.head : before.next;
    const entry: DeadlineEntry<T> = { at, value, flag, previous: before, next: after, linked: true };
    if (before === undefined) this.head = entry;
    else before.next = entry;
    if (after === undefined) this.tail = entry;
    else after.previous = entry;
    if (this.timer === undefined || at < this.timerAt) this.arm(at);
    return entry;
  }

  remove(entry: DeadlineEntry<T>): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.previous === undefined) this.head = entry.next;
    else entry.previous.next = entry.next;
    if (entry.next === undefined) this.tail = entry.previous;
    else entry.next.previous = entry.previous;
    entry.previous = undefined;
    entry.next = undefined;
  }

  /** How many deadlines are pending. */
  get size(): number {
    let count = 0;
    for (let entry = this.head; entry !== undefined; entry = entry.next) count++;
    return count;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    const timer = this.clock.setTimeout(this.fire, Math.max(0, at - this.clock.now()));
    (timer as { unref?: () => void } | null)?.unref?.();
    this.timer = timer;
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    let entry = this.head;
    while (entry !== undefined && entry.at <= now) {
      const next = entry.next;
      this.remove(entry);
      this.onExpire(entry.value, entry.flag);
      entry = next === undefined || next.linked ? next : this.head;
    }
    if (this.head !== undefined) this.arm(this.head.at);
  }
}
