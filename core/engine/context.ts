/** Builds the `ctx` each plugin hook receives, and stamps plugin failures with node, plugin and hook. */
import { PluginError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { PluginContext } from "../plugin.ts";
import { createRng, hashString } from "../rng.ts";

/** A context for node `nodeId` of plugin `plugin`, seeded from the pipeline seed and the node id. */
export function pluginContext(
  nodeId: string,
  plugin: string,
  seed: number,
  log: Logger,
): PluginContext {
  return {
    nodeId,
    log: log.child(nodeId),
    rng: createRng((seed ^ hashString(nodeId)) >>> 0),
    seed,
    fail(message: string, detail: { path?: string; hint?: string } = {}): never {
      throw new PluginError(message, { node: nodeId, plugin, ...detail });
    },
  };
}

/**
 * Runs a plugin hook; any error it throws comes back as a `PluginError` naming
 * the node, plugin and hook (errors already stamped pass through with the hook added).
 */
export async function callHook<T>(
  node: { id: string; pluginName: string },
  hook: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PluginError) {
      if (err.detail.hook) throw err;
      throw new PluginError(stripScope(err.message), { ...err.detail, hook });
    }
    if (err instanceof Deno.errors.NotCapable) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const wrapped = new PluginError(message, { node: node.id, plugin: node.pluginName, hook });
    wrapped.cause = err;
    throw wrapped;
  }
}

function stripScope(message: string): string {
  const i = message.indexOf(": ");
  return message.startsWith("plugin ") && i > 0 ? message.slice(i + 2) : message;
}

/**
 * A fresh instance of `node`'s plugin: `create` with the node's options and its
 * context, failures stamped with the "create" hook.
 */
export function createInstance<T>(
  node: {
    id: string;
    pluginName: string;
    options: Record<string, unknown>;
    plugin: { create(options: never, ctx: PluginContext): T | Promise<T> };
  },
  seed: number,
  log: Logger,
): Promise<T> {
  const ctx = pluginContext(node.id, node.pluginName, seed, log);
  return callHook(node, "create", () => node.plugin.create(node.options as never, ctx));
}
