/**
 * `acm plugins`: lists the built-in plugins and a pipeline's third-party ones
 * with version, summary and options (from their schemas), and scaffolds a new
 * detector plugin with its contract test (`acm plugins new detector NAME`).
 */
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { type AnyPlugin, type JsonSchema, PLUGIN_KINDS, type PluginKind } from "../core/plugin.ts";
import { BUILTINS } from "../plugins/registry.ts";
import { loadPluginModule } from "../core/pipeline/plugin_loader.ts";
import { moduleSpecifier } from "../core/pipeline/plugin_ref.ts";
import { loadSandboxed } from "../core/pipeline/plugin_sandbox.ts";
import { parseCommandArgs, usageError } from "./_args.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import {
  detectorTemplate,
  detectorTestTemplate,
  type TemplateImports,
} from "./_plugin_template.ts";
import {
  streamingDetectorTemplate,
  streamingDetectorTestTemplate,
} from "./_plugin_template_stateful.ts";

/** One option of a plugin, as listed. */
export interface OptionInfo {
  name: string;
  type: string;
  default?: unknown;
  required: boolean;
  description: string;
}

/** One listed plugin. */
export interface PluginInfo {
  kind: PluginKind;
  /** Name a pipeline node uses: the registry name, or the `plugins` map id. */
  name: string;
  /** The plugin's own `name` (differs from `name` when a map id renames it). */
  plugin: string;
  version: string;
  host_api: string;
  summary: string;
  origin: "built-in" | "pipeline";
  /** Module path (relative to the working directory when possible) or specifier. */
  module: string;
  options: OptionInfo[];
}

/** A plugin that could not be listed. */
export interface PluginListProblem {
  name: string;
  module: string;
  message: string;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** A short type description of an option schema: `mean|max|p95`, `number ≥ 0`, `integer[]`. */
export function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join("|");
  const type = Array.isArray(schema.type) ? schema.type.join("|") : String(schema.type ?? "any");
  if (type === "array" && isObject(schema.items)) return `${describeType(schema.items)}[]`;
  if (type === "object" && isObject(schema.additionalProperties)) {
    return `map of ${describeType(schema.additionalProperties)}`;
  }
  const bounds = [
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.exclusiveMinimum !== undefined && `> ${schema.exclusiveMinimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.exclusiveMaximum !== undefined && `< ${schema.exclusiveMaximum}`,
  ].filter(Boolean);
  return bounds.length > 0 ? `${type} ${bounds.join(", ")}` : type;
}

/** The options of a plugin schema, in declaration order. */
export function optionInfos(schema: JsonSchema): OptionInfo[] {
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(props).filter(([, s]) => isObject(s)).map(([name, s]) => {
    const prop = s as JsonSchema;
    return {
      name,
      type: describeType(prop),
      ...("default" in prop ? { default: prop.default } : {}),
      required: required.has(name),
      description: typeof prop.description === "string" ? prop.description : "",
    };
  });
}

function info(
  p: AnyPlugin,
  name: string,
  origin: PluginInfo["origin"],
  module: string,
): PluginInfo {
  return {
    kind: p.kind,
    name,
    plugin: p.name,
    version: p.version,
    host_api: p.host_api,
    summary: p.summary,
    origin,
    module,
    options: optionInfos(p.options),
  };
}

const shown = (spec: string) => {
  if (!spec.startsWith("file:")) return spec;
  const rel = relative(Deno.cwd(), fileURLToPath(spec));
  return rel.startsWith("..") ? fileURLToPath(spec) : rel;
};

/**
 * The built-in plugins and (with `pipeline`) the plugins its `plugins` map declares;
 * those are imported in the plugin sandbox (core/pipeline/plugin_sandbox.ts), so
 * their top-level code cannot reach files, network or environment.
 */
export async function listPlugins(
  pipeline?: string,
): Promise<{ plugins: PluginInfo[]; problems: PluginListProblem[] }> {
  const plugins: PluginInfo[] = [];
  const problems: PluginListProblem[] = [];
  for (const b of BUILTINS) {
    const r = await loadPluginModule(b.specifier, b.load);
    if ("ok" in r) {
      plugins.push(info(r.ok.plugin, b.name, "built-in", `plugins/${b.path.slice(2)}`));
    } else {problems.push({
        name: b.name,
        module: b.path,
        message: r.problems.map((p) => p.message).join("; "),
      });}
  }
  if (pipeline) {
    const file = resolve(pipeline);
    const doc = parse(await Deno.readTextFile(file)) as unknown;
    const map = isObject(doc) && isObject(doc.plugins) ? doc.plugins : {};
    for (const [id, entry] of Object.entries(map)) {
      const spec = typeof entry === "string" ? moduleSpecifier(entry, file) : undefined;
      if (!spec) {
        problems.push({
          name: id,
          module: String(entry),
          message: "not a relative path, file URL or npm: specifier",
        });
        continue;
      }
      // Third-party code: imported only in the narrowed plugin sandbox.
      const r = await loadSandboxed(spec);
      if ("ok" in r) plugins.push(info(r.ok.plugin, id, "pipeline", shown(spec)));
      else {problems.push({
          name: id,
          module: shown(spec),
          message: r.problems.map((p) => p.message).join("; "),
        });}
    }
  }
  const order = (k: PluginKind) => PLUGIN_KINDS.indexOf(k);
  plugins.sort((a, b) => order(a.kind) - order(b.kind));
  return { plugins, problems };
}

/** Splits `text` into lines of at most `width` characters (words longer than that stay whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines.length ? lines : [""];
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/** The human-readable listing: per plugin a heading, its summary and an options table. */
export function formatPlugins(plugins: readonly PluginInfo[], width = 100): string {
  const out: string[] = [];
  for (const p of plugins) {
    const renamed = p.plugin !== p.name ? `, plugin "${p.plugin}"` : "";
    out.push(`${p.kind} ${p.name} ${p.version} (${p.origin}${renamed}, ${p.module})`);
    for (const l of wrap(p.summary, width - 2)) out.push(`  ${l}`);
    if (p.options.length === 0) {
      out.push("  (no options)", "");
      continue;
    }
    const rows = p.options.map((o) => [
      o.name,
      clip(o.type, 28),
      o.required && !("default" in o) ? "(required)" : clip(JSON.stringify(o.default), 20),
      o.description,
    ]);
    const w = [0, 1, 2].map((c) =>
      Math.max(["OPTION", "TYPE", "DEFAULT"][c].length, ...rows.map((r) => r[c].length))
    );
    const lead = 2 + w[0] + w[1] + w[2] + 6;
    const text = Math.max(30, width - lead);
    out.push(
      `  ${"OPTION".padEnd(w[0])}  ${"TYPE".padEnd(w[1])}  ${"DEFAULT".padEnd(w[2])}  DESCRIPTION`,
    );
    for (const r of rows) {
      const [first, ...rest] = wrap(r[3], text);
      out.push(
        `  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${first}`.trimEnd(),
      );
      for (const l of rest) out.push(`${" ".repeat(lead)}${l}`);
    }
    out.push("");
  }
  return out.join("\n").trimEnd();
}

/**
 * Where a scaffold's imports point: the absolute file URLs of this installation's
 * mod.ts and contract suite (computed now), so the files work from any folder
 * (see the header of cli/_plugin_template.ts).
 */
function scaffoldImports(acm: string): TemplateImports {
  return {
    api: pathToFileURL(`${acm}/mod.ts`).href,
    suite: pathToFileURL(`${acm}/tests/plugins/contract/contract_suite.ts`).href,
    config: `${acm}/deno.json`,
  };
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** Writes `<dir>/<name>.ts` and `<dir>/<name>_test.ts`; returns their paths. */
export async function scaffoldDetector(
  name: string,
  opts: { dir?: string; force?: boolean; acm?: string; stateful?: boolean } = {},
): Promise<string[]> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new TypeError(
      `Cannot scaffold plugin "${name}": a plugin name is snake_case, e.g. "spike_z"`,
    );
  }
  const dir = resolve(opts.dir ?? ".");
  const acm = resolve(opts.acm ?? fileURLToPath(new URL("..", import.meta.url)));
  if (
    !(await exists(`${acm}/mod.ts`)) ||
    !(await exists(`${acm}/tests/plugins/contract/contract_suite.ts`))
  ) {
    throw new Error(
      `Cannot scaffold plugin "${name}": "${acm}" is not an acm checkout (no mod.ts and contract suite); pass --acm DIR`,
    );
  }
  const files = [`${dir}/${name}.ts`, `${dir}/${name}_test.ts`];
  for (const f of files) {
    if (!opts.force && (await exists(f))) {
      throw new Error(
        `Cannot scaffold plugin "${name}": "${f}" exists (use --force to replace it)`,
      );
    }
  }
  await Deno.mkdir(dir, { recursive: true });
  const imports = scaffoldImports(await Deno.realPath(acm));
  const [plugin, test] = opts.stateful
    ? [streamingDetectorTemplate, streamingDetectorTestTemplate]
    : [detectorTemplate, detectorTestTemplate];
  await Deno.writeTextFile(files[0], plugin(name, imports));
  await Deno.writeTextFile(files[1], test(name, imports));
  return files;
}

const command: Command = {
  name: "plugins",
  summary: "List the built-in and pipeline plugins with their options; scaffold a new detector",
  usage: `Usage: acm plugins [list] [--kind KIND] [--pipeline FILE] [--json]
       acm plugins new detector NAME [--stateful] [--dir DIR] [--force] [--acm DIR]

list (the default)
  Every built-in plugin, and with --pipeline the third-party plugins declared in
  that pipeline's \`plugins\` map, with version, summary and each option's type,
  default and description (from the plugin's options schema).
    --kind KIND      only one kind: ${PLUGIN_KINDS.join(", ")}
    --pipeline FILE  also list FILE's third-party plugins, imported in the plugin
                     sandbox (exit 1 if one fails to load)
    --json           print the list as JSON

new detector NAME
  Writes DIR/NAME.ts (a small detector written only against acm's public
  mod.ts: options interface, options schema with description, default and
  examples, create() returning fit/score/save/load) and DIR/NAME_test.ts (the
  plugin contract suite plus behaviour tests). Both pass as generated. The
  plugin imports acm's types only, from the absolute URL of this installation's
  mod.ts, so the folder can live anywhere.
    --stateful       a streaming detector instead (two-sided CUSUM per sensor):
                     implements scoreStream, whose state acm carries across chunks
    --dir DIR        folder to write into (default: the working directory)
    --force          replace existing files
    --acm DIR        the acm checkout the files import from (default: this one)

  -h, --help         show this help

${EXIT_CODES_HELP}`,
  async run(argv) {
    const parsed = parseCommandArgs(this, argv, {
      kind: { type: "string" },
      pipeline: { type: "string" },
      json: { type: "boolean" },
      dir: { type: "string" },
      force: { type: "boolean" },
      acm: { type: "string" },
      stateful: { type: "boolean" },
    }, { max: 3 });
    if ("exit" in parsed) return parsed.exit;
    const { values, positionals } = parsed.args;
    const [sub = "list", ...rest] = positionals;
    if (sub === "new") return await runNew(this, rest, values);
    if (sub !== "list" || rest.length > 0) {
      return usageError(
        this,
        `unknown subcommand "${[sub, ...rest].join(" ")}" (use \`list\` or \`new detector NAME\`)`,
      );
    }
    const kind = values.kind as string | undefined;
    if (kind !== undefined && !PLUGIN_KINDS.includes(kind as PluginKind)) {
      return usageError(this, `--kind "${kind}" is not one of ${PLUGIN_KINDS.join(", ")}`);
    }
    let listed;
    try {
      listed = await listPlugins(values.pipeline as string | undefined);
    } catch (e) {
      console.error(
        `acm plugins: Cannot read pipeline "${values.pipeline}": ${
          (e as Error).message.split("\n")[0]
        }`,
      );
      return EXIT.failure;
    }
    const plugins = listed.plugins.filter((p) => !kind || p.kind === kind);
    if (values.json) console.log(JSON.stringify({ plugins, problems: listed.problems }, null, 2));
    else console.log(formatPlugins(plugins, Math.max(60, Math.min(120, consoleWidth()))));
    for (const p of listed.problems) {
      console.error(`acm plugins: ${p.name} (${p.module}): ${p.message}`);
    }
    return listed.problems.length > 0 ? EXIT.failure : EXIT.ok;
  },
};

async function runNew(
  cmd: Command,
  rest: string[],
  values: Record<string, unknown>,
): Promise<number> {
  const [kind, name] = rest;
  if (kind !== "detector") {
    return usageError(
      cmd,
      kind
        ? `cannot scaffold a "${kind}" plugin: only \`new detector NAME\` is available`
        : "missing KIND (detector)",
    );
  }
  if (!name) return usageError(cmd, "missing NAME");
  try {
    const files = await scaffoldDetector(name, {
      dir: values.dir as string | undefined,
      force: values.force === true,
      acm: values.acm as string | undefined,
      stateful: values.stateful === true,
    });
    const shownFiles = files.map((f) => relative(Deno.cwd(), f) || f);
    console.log(`acm plugins: wrote ${shownFiles.join(" and ")}`);
    console.log(
      `Test it:\n  cd ${relative(Deno.cwd(), dirname(files[0])) || "."} && deno test --config ${
        scaffoldImports(
          resolve((values.acm as string) ?? fileURLToPath(new URL("..", import.meta.url))),
        ).config
      } --allow-read --allow-write --allow-env ${name}_test.ts`,
    );
    return EXIT.ok;
  } catch (e) {
    console.error(`acm plugins: ${(e as Error).message}`);
    return EXIT.failure;
  }
}

function consoleWidth(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 100;
  }
}

export default command;
