/**
 * The local import graph of a third-party plugin module, checked against the
 * rules the replay sandbox applies (core/replay/permissions.ts): a worker may
 * read the plugin's own folder's modules that the plugin imports, this acm's
 * `core/`, `plugins/` and `mod.ts`; it may not import remote modules (`import:
 * false`) or any other file.
 *
 * A static scanner over the module source, not `deno info --json`: validation
 * must not need `--allow-run` nor spawn a process per plugin, and it must see
 * exactly what the worker will be asked to load at run time. It reads the
 * source with comments and string contents told apart (so a commented-out
 * import is not reported), follows `import … from "x"`, `export … from "x"`,
 * `import "x"` and `import("x")` with a literal argument, and skips
 * `import type` / `export type` (erased before run time). An `import()` with a
 * computed argument cannot be checked statically by any tool; it is not followed.
 * `npm:`, `node:`, `data:` and bare (import-map) specifiers need no file grant.
 */
import { dirname, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Diagnostic } from "../errors.ts";
import { childPointer, type PositionMap } from "./yaml_source.ts";

/** An import the replay sandbox will refuse. */
export interface ImportProblem {
  /** The import as written. */
  specifier: string;
  /** Real path of the module that contains it. */
  from: string;
  message: string;
  hint: string;
}

/** What a plugin's worker must be able to read, and what it cannot. */
export interface ImportGraph {
  /** Real path of the plugin's folder (the entry module's directory). */
  root: string;
  /** Real paths of the plugin's modules under `root` (the entry first). */
  files: string[];
  problems: ImportProblem[];
}

const CODE = /\.(ts|tsx|mts|js|jsx|mjs)$/;

/** Real paths of this acm's code a worker may always read: core/, plugins/, mod.ts. */
export async function hostCodeRoots(): Promise<string[]> {
  const at = (rel: string) =>
    Deno.realPath(fileURLToPath(new URL(rel, import.meta.url))).catch(() => null);
  const found = await Promise.all([at("../"), at("../../plugins/"), at("../../mod.ts")]);
  return found.filter((p): p is string => p !== null);
}

const inside = (path: string, root: string) => path === root || path.startsWith(root + "/");

/** Walks the local import graph of a `file:` plugin module (never throws). */
export async function scanImportGraph(entry: string): Promise<ImportGraph> {
  const host = await hostCodeRoots();
  const entryPath = await Deno.realPath(fileURLToPath(entry)).catch(() => fileURLToPath(entry));
  const root = dirname(entryPath);
  const files: string[] = [entryPath];
  const problems: ImportProblem[] = [];
  const queue = [entryPath];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!CODE.test(file)) continue;
    let source: string;
    try {
      source = await Deno.readTextFile(file);
    } catch {
      continue; // the loader reports an unreadable entry; a missing import is reported below
    }
    for (const spec of importSpecifiers(source)) {
      const refused = (message: string, hint: string) =>
        problems.push({ specifier: spec, from: file, message, hint });
      if (/^(https?|jsr):/i.test(spec)) {
        refused(
          `imports the remote module "${spec}", which the replay sandbox refuses (no remote imports)`,
          `copy the module into ${root} and import it by a relative path ("./…")`,
        );
        continue;
      }
      if (!/^(\.{1,2}\/|\/|file:)/.test(spec)) continue; // npm:, node:, data:, import-map names
      const url = new URL(spec, pathToFileURL(file));
      if (url.protocol !== "file:") continue;
      const literal = fileURLToPath(url);
      const real = await Deno.realPath(literal).catch(() => null);
      if (real === null) {
        refused(`imports "${spec}", which does not exist (${literal})`, "fix the import path");
        continue;
      }
      if (inside(real, root)) {
        if (!files.includes(real)) {
          files.push(real);
          queue.push(real);
        }
      } else if (!host.some((h) => inside(real, h))) {
        refused(
          `imports "${spec}" (${real}), outside the plugin's folder ${root}; the replay sandbox cannot read it`,
          `move ${
            relative(root, real)
          } into ${root} (or a subfolder), or import acm's API from its mod.ts`,
        );
      }
    }
  }
  return { root, files, problems };
}

/** Module specifiers a source loads at run time (type-only imports left out). */
export function importSpecifiers(source: string): string[] {
  const code = mask(source);
  // Matched on the masked text (string contents are `x`), read back from the source.
  const text = (m: RegExpMatchArray, group: number) => source.slice(...m.indices![group]!);
  const out: string[] = [];
  const statics =
    /(?:^|[^\w$.])(import|export)\s+(type\s+)?(?:[^'"`;()]*?\sfrom\s*)?(['"])(x+)\3/dg;
  for (const m of code.matchAll(statics)) if (!m[2]) out.push(text(m, 4));
  const dynamic = /(?:^|[^\w$.])import\s*\(\s*(['"])(x+)\1\s*[,)]/dg;
  for (const m of code.matchAll(dynamic)) out.push(text(m, 2));
  return [...new Set(out)];
}

/** The source with comments blanked and every string's contents replaced by `x` (same offsets). */
function mask(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "/" && (s[i + 1] === "/" || s[i + 1] === "*")) {
      const end = s[i + 1] === "/" ? s.indexOf("\n", i) : s.indexOf("*/", i + 2) + 2;
      const stop = end <= 1 || end < i ? s.length : end;
      out += s.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < s.length && s[j] !== c && !(c !== "`" && s[j] === "\n")) {
        j += s[j] === "\\" ? 2 : 1;
      }
      out += c + s.slice(i + 1, Math.min(j, s.length)).replace(/[^\n]/g, "x") +
        (j < s.length ? c : "");
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Diagnostics for one `plugins` map entry whose import graph the replay sandbox
 * would refuse, positioned at the entry (`/plugins/<id>`).
 */
export async function checkPluginImports(
  id: string,
  specifier: string,
  positions: PositionMap,
): Promise<Diagnostic[]> {
  if (!specifier.startsWith("file:")) return [];
  const pointer = childPointer("/plugins", id);
  const { problems } = await scanImportGraph(specifier);
  return problems.map((p) => ({
    ...positions.at(pointer),
    pointer,
    plugin: id,
    code: "plugin-load",
    severity: "error",
    message: `Plugin "${id}" cannot run in replay: ${p.from} ${p.message}`,
    hint: p.hint,
  }));
}
