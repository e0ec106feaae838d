import type { ResiliencePlugin } from './plugin';

/** Reports a plugin that threw. */
export type PluginErrorHandler = (error: unknown, plugin: ResiliencePlugin, hook: string) => void;

interface Registry {
  plugins: readonly ResiliencePlugin[];
  version: number;
  onError: PluginErrorHandler | undefined;
  reported: WeakMap<ResiliencePlugin, Set<string>>;
}

const KEY = Symbol.for('resilient.plugin-registry');

/** @internal One registry per process, shared by every copy of the package. */
export function registry(): Registry {
  if (cached !== undefined) return cached;
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let value = holder[KEY];
  if (value === undefined) {
    value = { plugins: [], version: 0, onError: undefined, reported: new WeakMap() };
    holder[KEY] = value;
  }
  cached = value;
  return value;
}

/** The registry, once looked up: the global object is slow to read on every call. */
let cached: Registry | undefined;

/**
 * Registers a plugin for every policy in the process (every copy of `@resilient/core`). Returns a
 * function that unregisters it.
 */
export function registerPlugin(plugin: ResiliencePlugin): () => void {
  if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string') {
    throw new TypeError('registerPlugin: plugin must be an object with a string `name`');
  }
  const state = registry();
  state.plugins = [...state.plugins, plugin];
  state.version++;
  return () => {
    const index = state.plugins.indexOf(plugin);
    if (index < 0) return;
    state.plugins = state.plugins.filter((_, position) => position !== index);
    state.version++;
  };
}

/** The plugins registered for the whole process. */
export function registeredPlugins(): readonly ResiliencePlugin[] {
  return registry().plugins;
}

/**
 * Sets where errors thrown by plugins go. Default: one `console.warn` per plugin and hook, so a broken
 * plugin cannot flood the log. Pass `undefined` to restore the default.
 */
export function onPluginError(handler: PluginErrorHandler | undefined): void {
  registry().onError = handler;
}

/** @internal */
export function reportPluginError(error: unknown, plugin: ResiliencePlugin, hook: string): void {
  const state = registry();
  try {
    if (state.onError !== undefined) {
      state.onError(error, plugin, hook);
      return;
    }
    let hooks = state.reported.get(plugin);
    if (hooks === undefined) {
      hooks = new Set();
      state.reported.set(plugin, hooks);
    }
    if (hooks.has(hook)) return;
    hooks.add(hook);
    const message = error instanceof Error ? error.message : String(error);
    console.warn(
      `[resilient] plugin "${plugin.name}" threw in ${hook} (further errors of this hook are not shown): ${message}`,
    );
  } catch {
    // Reporting must never break the call either.
  }
}
