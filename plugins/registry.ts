/**
 * The built-in plugins: kind → name → module. Each entry is a static
 * `() => import("./…")` so `deno compile` and bundlers see (and embed) every
 * module, and a module is only loaded when a pipeline uses it.
 */
import type { PluginKind } from "../core/plugin.ts";

/** One built-in plugin module. */
export interface BuiltinPlugin {
  kind: PluginKind;
  name: string;
  /** Module path relative to plugins/. */
  path: string;
  /** Absolute module specifier (file URL) a Worker can re-import. */
  specifier: string;
  /** Imports the module. */
  load: () => Promise<unknown>;
}

const TABLE: Record<PluginKind, Record<string, [string, () => Promise<unknown>]>> = {
  source: {
    csv: ["./sources/csv.ts", () => import("./sources/csv.ts")],
  },
  feature: {
    rolling: ["./features/rolling.ts", () => import("./features/rolling.ts")],
    select: ["./features/select.ts", () => import("./features/select.ts")],
  },
  detector: {
    ar1: ["./detectors/ar1.ts", () => import("./detectors/ar1.ts")],
    pca: ["./detectors/pca.ts", () => import("./detectors/pca.ts")],
    mahalanobis: ["./detectors/mahalanobis.ts", () => import("./detectors/mahalanobis.ts")],
    isolation_forest: [
      "./detectors/isolation_forest.ts",
      () => import("./detectors/isolation_forest.ts"),
    ],
    gmm: ["./detectors/gmm.ts", () => import("./detectors/gmm.ts")],
    omr: ["./detectors/omr.ts", () => import("./detectors/omr.ts")],
    condition: ["./detectors/condition.ts", () => import("./detectors/condition.ts")],
  },
  fusion: {
    weighted_mean: ["./fusion/weighted_mean.ts", () => import("./fusion/weighted_mean.ts")],
    max_z: ["./fusion/max_z.ts", () => import("./fusion/max_z.ts")],
  },
  sink: {
    csv: ["./sinks/csv.ts", () => import("./sinks/csv.ts")],
    jsonl: ["./sinks/jsonl.ts", () => import("./sinks/jsonl.ts")],
    sqlite: ["./sinks/sqlite.ts", () => import("./sinks/sqlite.ts")],
    postgres: ["./sinks/postgres.ts", () => import("./sinks/postgres.ts")],
    report: ["./sinks/report.ts", () => import("./sinks/report.ts")],
    webhook: ["./sinks/webhook.ts", () => import("./sinks/webhook.ts")],
  },
};

/** Every built-in plugin, in data-path order of kinds. */
export const BUILTINS: readonly BuiltinPlugin[] = Object.entries(TABLE).flatMap(
  ([kind, entries]) =>
    Object.entries(entries).map(([name, [path, load]]) => ({
      kind: kind as PluginKind,
      name,
      path,
      specifier: new URL(path, import.meta.url).href,
      load,
    })),
);

/** The built-in plugin of that kind and name, if any. */
export function findBuiltin(kind: PluginKind, name: string): BuiltinPlugin | undefined {
  return BUILTINS.find((b) => b.kind === kind && b.name === name);
}

/** Names of the built-in plugins of one kind. */
export function builtinNames(kind: PluginKind): string[] {
  return BUILTINS.filter((b) => b.kind === kind).map((b) => b.name);
}
