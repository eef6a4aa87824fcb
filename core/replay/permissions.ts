/**
 * Permissions of an asset's Worker. Read: the asset's chunk files (each one by
 * its real path, never the chunk directory: a directory symlink such as
 * `chunks/A/etclink -> /etc` inside a granted folder would be readable), its
 * sensor metadata file (by its real path), its
 * artifact directory, the project's `core/` and `plugins/` directories, `mod.ts`, and any
 * other module the worker imports at run time (third-party plugin files from the
 * pipeline's `plugins` map with the files of their own folder they import,
 * replacement host modules). Write: the artifact
 * directory only. Env: LOG_TOKENS and LOG_STREAM (read by npm:yaml). Net: only
 * the hosts of the pipeline's `webhook` sinks (none without one). No run, ffi,
 * sys or remote import. Every path is a `Deno.realPath`, so a symlink
 * cannot widen the grant (Deno checks the literal path, not its target).
 */
import { fileURLToPath } from "node:url";
import { scanImportGraph } from "../pipeline/import_graph.ts";
import type { Pipeline } from "../pipeline/types.ts";
import type { AssetJob } from "./asset_runner.ts";

/** Real paths of the code a worker may load: core/, plugins/, third-party plugin and host files. */
export async function codeReadPaths(
  pipeline: Pipeline,
  hostModules: readonly string[] | null,
): Promise<string[]> {
  const core = await Deno.realPath(fileURLToPath(new URL("../", import.meta.url)));
  const paths = new Set<string>([core]);
  const plugins = await Deno.realPath(fileURLToPath(new URL("../../plugins/", import.meta.url)))
    .catch(() => null);
  if (plugins) paths.add(plugins);
  // The public API, so a third-party plugin may import run-time helpers from mod.ts.
  const mod = await Deno.realPath(fileURLToPath(new URL("../../mod.ts", import.meta.url)))
    .catch(() => null);
  if (mod) paths.add(mod);
  const files = [...nodesOf(pipeline).map((n) => n.specifier), ...(hostModules ?? [])];
  for (const spec of files) {
    if (!spec?.startsWith("file:")) continue;
    // The module and the files of its own folder it imports (core/pipeline/import_graph.ts).
    for (const real of (await scanImportGraph(spec)).files) {
      if (![...paths].some((p) => real === p || real.startsWith(p + "/"))) paths.add(real);
    }
  }
  return [...paths];
}

/** The permission set of one asset's worker. */
export function workerPermissions(
  job: AssetJob,
  codePaths: readonly string[],
): Deno.PermissionOptionsObject {
  return {
    // A queue job lists only its own chunk; the slots before it have no path (an empty
    // path would make Deno refuse the whole permission set).
    read: [
      ...job.chunks.map((c) => c.path).filter((p) => p !== ""),
      ...(job.sensorMetadata ? [job.sensorMetadata] : []),
      job.assetDir,
      ...codePaths,
    ],
    write: [job.assetDir],
    env: ["LOG_TOKENS", "LOG_STREAM"],
    net: webhookHosts(job.document).length ? webhookHosts(job.document) : false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/** `host[:port]` of every `webhook` sink's url in a pipeline document (deduplicated). */
export function webhookHosts(document: Record<string, unknown>): string[] {
  const sinks = Array.isArray(document.sinks) ? document.sinks : [];
  const hosts = new Set<string>();
  for (const s of sinks) {
    if (s === null || typeof s !== "object") continue;
    const node = s as Record<string, unknown>;
    if (node.plugin !== "webhook" || typeof node.url !== "string") continue;
    try {
      const u = new URL(node.url);
      if (u.protocol === "http:" || u.protocol === "https:") hosts.add(u.host);
    } catch { /* the sink itself reports a bad url */ }
  }
  return [...hosts];
}

/**
 * True when every node of the pipeline is a built-in plugin (this project's
 * plugins/ folder): then the replay reuses workers across assets (the union
 * grant below). Third-party code keeps a worker per asset, scoped to that asset.
 */
export function builtInOnly(pipeline: Pipeline): boolean {
  const builtIn = new URL("../../plugins/", import.meta.url).href;
  return nodesOf(pipeline).every((n) => n.specifier.startsWith(builtIn));
}

/** Every node of the pipeline, source to sinks. */
function nodesOf(pipeline: Pipeline) {
  return [
    pipeline.source,
    ...pipeline.features,
    ...pipeline.detectors,
    pipeline.fusion,
    ...pipeline.sinks,
  ];
}

/** The union of several workers' permission sets (each list deduplicated, in first-seen order). */
export function unionPermissions(
  sets: readonly Deno.PermissionOptionsObject[],
): Deno.PermissionOptionsObject {
  const union = (name: "read" | "write" | "env" | "net") => {
    const items = [
      ...new Set(sets.flatMap((p) => (Array.isArray(p[name]) ? p[name] : []).map(String))),
    ];
    return items.length > 0 ? items : false;
  };
  return {
    read: union("read"),
    write: union("write"),
    env: union("env"),
    net: union("net"),
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/**
 * The process flags for a worker granted `permissions` of the jobs `jobs`: the
 * same grant with each job's chunk files replaced by their folders, so the
 * command line stays short for a large fleet (each flag is one argument, at most
 * 128 KiB on Linux). Only the process entry runs under these; the worker inside
 * holds the exact files.
 */
export function outerPermissions(
  permissions: Deno.PermissionOptionsObject,
  jobs: readonly AssetJob[],
): Deno.PermissionOptionsObject {
  const files = new Set(jobs.flatMap((j) => j.chunks.map((c) => c.path)));
  const read = Array.isArray(permissions.read) ? permissions.read.map(String) : [];
  const folders = read.map((p) => (files.has(p) ? p.slice(0, p.lastIndexOf("/")) || "/" : p));
  return { ...permissions, read: [...new Set(folders)] };
}

/**
 * True when a worker granted `have` may do all that `want` grants: every path of
 * `want`'s read and write lists is one of `have`'s or lies inside one of its
 * folders, every env and net entry is listed, and `want` asks for no run, ffi,
 * sys or import.
 */
export function coversPermissions(
  have: Deno.PermissionOptionsObject,
  want: Deno.PermissionOptionsObject,
): boolean {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const paths = (name: "read" | "write") => {
    const granted = list(have[name]);
    return list(want[name]).every((p) => granted.some((g) => p === g || p.startsWith(g + "/")));
  };
  const named = (name: "env" | "net") => {
    const granted = new Set(list(have[name]));
    return list(want[name]).every((x) => granted.has(x));
  };
  const none = (v: unknown) => v === false || v === undefined || v === "none";
  return paths("read") && paths("write") && named("env") && named("net") &&
    none(want.run) && none(want.ffi) && none(want.sys) && none(want.import);
}
