/** A command in flight, as {@link CommandDeadlines} times it. */
export interface TimedCommand {
  /** When it times out, on `performance.now()`'s clock; set by {@link CommandDeadlines.add}. */
  deadline: number;
  /** Whether it has settled: a settled command is skipped, never expired. */
  settled: boolean;
  /** Called once if it is still pending at its deadline. */
  expire(): void;
}

/**
 * @internal Times out Redis commands that all share one timeout, with one timer for all of them rather
 * than one per command. Every command gets the same timeout, so commands expire in the order they were
 * added: a queue in arrival order is sorted by deadline, and one timer, armed for the oldest pending
 * command, is enough. A settled command stays in the queue until the timer passes it (no search). The
 * timer is unref'd, and none runs while no command is in flight.
 */
export class CommandDeadlines {
  private readonly timeoutMs: number;
  private queue: TimedCommand[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** Starts timing `command`. */
  add(command: TimedCommand): void {
    command.deadline = performance.now() + this.timeoutMs;
    this.queue.push(command);
    if (this.timer === undefined) this.arm(this.timeoutMs);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(this.sweep, delayMs);
    this.timer.unref?.();
  }

  /** Expires every pending command past its deadline, then waits for the next one. */
  private readonly sweep = (): void => {
    this.timer = undefined;
    const now = performance.now();
    const queue = this.queue;
    let head = this.head;
    while (head < queue.length) {
      const command = queue[head]!;
      if (!command.settled && command.deadline > now) break;
      head++;
      if (!command.settled) {
        command.settled = true;
        command.expire();
      }
    }
    // `expire` may have added commands (an event listener that calls the fleet): they are in `queue`.
    if (head >= queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      this.queue = queue.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.queue[this.head];
    if (next !== undefined) this.arm(Math.max(1, Math.ceil(next.deadline - now)));
  };
}
