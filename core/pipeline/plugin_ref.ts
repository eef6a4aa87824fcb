/**
 * Resolves a node's `plugin` name to a module: the pipeline's `plugins` map
 * first (id → relative path, file URL or `npm:` specifier), then the built-in
 * registry. Unknown names get a did-you-mean over the names of that kind.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ErrorCode } from "../errors.ts";
import type { PluginKind } from "../plugin.ts";
import { BUILTINS, findBuiltin } from "../../plugins/registry.ts";
import { didYouMean } from "./did_you_mean.ts";
import { loadPluginModule, type LoadResult } from "./plugin_loader.ts";
import { loadSandboxed, pluginIsolation } from "./plugin_sandbox.ts";

/** Where a plugin name leads. */
export type PluginRef =
  | { specifier: string; builtin: boolean; load: () => Promise<LoadResult> }
  | { code: ErrorCode; message: string; hint?: string };

/** Turns a `plugins` map entry into an absolute module specifier; undefined when not allowed. */
export function moduleSpecifier(entry: string, pipelineFile: string): string | undefined {
  if (entry.startsWith("npm:") || entry.startsWith("file:")) return entry;
  if (/^[a-z][a-z0-9+.-]*:/i.test(entry) && !/^[a-z]:[\\/]/i.test(entry)) return undefined;
  const base = pipelineFile.startsWith("<") ? Deno.cwd() : dirname(pipelineFile);
  const path = isAbsolute(entry) ? entry : resolve(base, entry);
  return pathToFileURL(path).href;
}

/** Resolves `name` in a section of `kind`, given the pipeline's plugins map. */
export function resolvePluginRef(
  kind: PluginKind,
  name: string,
  pluginsMap: Record<string, unknown>,
  pipelineFile: string,
): PluginRef {
  const entry = pluginsMap[name];
  if (typeof entry === "string") {
    const specifier = moduleSpecifier(entry, pipelineFile);
    if (!specifier) {
      return {
        code: "plugin-load",
        message:
          `Cannot load plugin "${name}": "${entry}" is not a relative path, file URL or npm: specifier`,
      };
    }
    // Third-party code: in the sandbox when isolation is on (core/pipeline/plugin_sandbox.ts).
    const load = () => pluginIsolation() ? loadSandboxed(specifier) : loadPluginModule(specifier);
    return { specifier, builtin: false, load };
  }
  const builtin = findBuiltin(kind, name);
  if (builtin) {
    return {
      specifier: builtin.specifier,
      builtin: true,
      load: () => loadPluginModule(builtin.specifier, builtin.load),
    };
  }
  const other = BUILTINS.find((b) => b.name === name);
  if (other) {
    return {
      code: "plugin-kind",
      message: `Plugin "${name}" is a ${other.kind} plugin; this section needs a ${kind} plugin`,
      hint: `${kind} plugins: ${names(kind, pluginsMap).join(", ")}`,
    };
  }
  const candidates = names(kind, pluginsMap);
  const suggestion = didYouMean(name, candidates);
  return {
    code: "unknown-plugin",
    message: `No ${kind} plugin is named "${name}"`,
    hint: `${suggestion ? suggestion + " " : ""}${kind} plugins: ${candidates.join(", ")}` +
      "; third-party plugins are declared in the `plugins` map",
  };
}

function names(kind: PluginKind, pluginsMap: Record<string, unknown>): string[] {
  return [
    ...BUILTINS.filter((b) => b.kind === kind).map((b) => b.name),
    ...Object.keys(pluginsMap),
  ];
}
