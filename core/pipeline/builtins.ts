/** Loads every built-in plugin of the registry through the contract checks (for `acm schema`, docs, tests). */
import type { AnyPlugin, PluginKind } from "../plugin.ts";
import { BUILTINS } from "../../plugins/registry.ts";
import { loadPluginModule, type PluginProblem } from "./plugin_loader.ts";

/** A built-in that failed to load or broke the contract. */
export interface BuiltinFailure {
  kind: PluginKind;
  name: string;
  path: string;
  problems: PluginProblem[];
}

/** The loaded built-ins (registry order) and the ones that failed. */
export async function loadBuiltinPlugins(): Promise<
  { plugins: AnyPlugin[]; failures: BuiltinFailure[] }
> {
  const plugins: AnyPlugin[] = [];
  const failures: BuiltinFailure[] = [];
  const results = await Promise.all(BUILTINS.map((b) => loadPluginModule(b.specifier, b.load)));
  BUILTINS.forEach((b, i) => {
    const result = results[i];
    const { kind, name, path } = b;
    if ("problems" in result) failures.push({ kind, name, path, problems: result.problems });
    else if (result.ok.plugin.kind !== kind || result.ok.plugin.name !== name) {
      failures.push({
        kind,
        name,
        path,
        problems: [{
          code: "plugin-shape",
          severity: "error",
          message:
            `Cannot register "${path}" as ${kind} "${name}": it exports ${result.ok.plugin.kind} "${result.ok.plugin.name}"`,
        }],
      });
    } else plugins.push(result.ok.plugin);
  });
  return { plugins, failures };
}
