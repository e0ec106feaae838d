import type { AttemptStartEvent, PluginHookName, ResiliencePlugin } from './plugin';
import { registry, reportPluginError } from './plugin-registry';

const NO_PLUGINS: readonly ResiliencePlugin[] = Object.freeze([]);

/**
 * @internal The plugins one policy dispatches to: its own plus the process-wide ones. `current()`
 * returns `undefined` when there are none, so a policy without plugins pays one comparison per call.
 */
export class PluginSet {
  private readonly own: readonly ResiliencePlugin[];
  private cachedVersion = -1;
  private cached: readonly ResiliencePlugin[] | undefined;

  constructor(own: readonly ResiliencePlugin[] | undefined) {
    this.own = own ?? NO_PLUGINS;
  }

  current(): readonly ResiliencePlugin[] | undefined {
    const state = registry();
    if (state.version !== this.cachedVersion) {
      this.cachedVersion = state.version;
      const all = [...this.own, ...state.plugins.filter((plugin) => !this.own.includes(plugin))];
      this.cached = all.length === 0 ? undefined : all;
    }
    return this.cached;
  }
}

let shared: PluginSet | undefined;

/** @internal The plugin set of every policy without plugins of its own: one for all of them. */
export function registeredOnly(): PluginSet {
  shared ??= new PluginSet(undefined);
  return shared;
}

/** @internal Calls one hook on every plugin, catching and reporting what they throw. */
export function emit<K extends PluginHookName>(
  plugins: readonly ResiliencePlugin[] | undefined,
  hook: K,
  event: Parameters<NonNullable<ResiliencePlugin[K]>>[0],
): void {
  if (plugins === undefined) return;
  for (const plugin of plugins) {
    const handler = plugin[hook] as ((event: unknown) => void) | undefined;
    if (handler === undefined) continue;
    try {
      handler.call(plugin, event);
    } catch (error) {
      reportPluginError(error, plugin, hook);
    }
  }
}

/**
 * @internal Runs `run` through every plugin's `wrapAttempt`, outermost first. A plugin that throws before
 * calling `run` is skipped; one that throws after gets its error reported and the real result returned.
 */
export function wrapAttempt<T>(
  plugins: readonly ResiliencePlugin[],
  event: AttemptStartEvent,
  run: () => T,
): T {
  let wrapped = run;
  for (let index = plugins.length - 1; index >= 0; index--) {
    const plugin = plugins[index]!;
    if (plugin.wrapAttempt === undefined) continue;
    const inner = wrapped;
    wrapped = () => {
      let called = false;
      let result: T | undefined;
      let thrown: unknown;
      let threw = false;
      const once = (): T => {
        if (called) return result as T;
        called = true;
        try {
          result = inner();
        } catch (error) {
          threw = true;
          thrown = error;
          throw error;
        }
        return result;
      };
      try {
        plugin.wrapAttempt!(event, once);
      } catch (error) {
        if (!called || !threw || error !== thrown) reportPluginError(error, plugin, 'wrapAttempt');
      }
      if (!called) return once();
      if (threw) throw thrown;
      return result as T;
    };
  }
  return wrapped();
}
