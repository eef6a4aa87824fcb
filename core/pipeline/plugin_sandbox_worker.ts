/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Worker entry of the plugin sandbox (core/pipeline/plugin_sandbox.ts): imports
 * one third-party plugin module under narrowed permissions (read its own code
 * and this acm's code; nothing else), checks its export and, on request, runs
 * its validation-time `create()`. Only plain data goes back to the main thread.
 * in  `{op:"load", specifier}` → `{problems}` | `{meta}` (the plugin's data fields)
 * in  `{op:"create", specifier, id, options, seed}` → `{outputs}` | `{error}`
 */
import { PluginError } from "../errors.ts";
import { loadPluginModule } from "./plugin_loader.ts";
import { CreateFailure, validationContext } from "./resolve.ts";
import type { AnyPlugin } from "../plugin.ts";

self.onmessage = async (e: MessageEvent) => {
  const msg = e.data as {
    op: "load" | "create";
    specifier: string;
    id?: string;
    options?: Record<string, unknown>;
    seed?: number;
  };
  try {
    const result = await loadPluginModule(msg.specifier);
    if ("problems" in result) return self.postMessage({ problems: result.problems });
    const plugin = result.ok.plugin;
    if (msg.op === "load") {
      return self.postMessage({ meta: dataFields(plugin), warnings: result.ok.warnings });
    }
    self.postMessage(create(plugin, msg.id ?? "", msg.options ?? {}, msg.seed ?? 0));
  } catch (err) {
    self.postMessage({ error: describe(err) });
  }
};

/** The plugin object without its functions (structured-clonable). */
function dataFields(plugin: AnyPlugin): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plugin)) {
    if (typeof v === "function") continue;
    try {
      out[k] = structuredClone(v);
    } catch { /* not plain data: left out */ }
  }
  return out;
}

function create(plugin: AnyPlugin, id: string, options: Record<string, unknown>, seed: number) {
  try {
    const make = plugin.create as unknown as (o: unknown, c: unknown) => { outputs?: unknown };
    const instance = make(options, validationContext(id, plugin.name, seed));
    const outputs = Array.isArray(instance?.outputs) ? instance.outputs.map(String) : [];
    return { outputs };
  } catch (err) {
    return { error: describe(err) };
  }
}

/** An error as data: its message, and for a plugin failure its detail and ctx.fail reason. */
function describe(err: unknown) {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    name: e.name,
    message: e.message,
    detail: err instanceof PluginError ? err.detail : null,
    reason: err instanceof CreateFailure ? err.reason : null,
  };
}
