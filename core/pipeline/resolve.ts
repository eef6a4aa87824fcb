/**
 * From a plain pipeline document to a validated `Pipeline`: overrides, `${VAR}`
 * typing, the envelope schema, plugin resolution and per-node option schemas
 * (defaults filled), detector heads, graph checks and fusion weight keys.
 * Every problem is collected; nothing stops at the first one.
 */
import { type Diagnostic, PluginError } from "../errors.ts";
import { silentLogger } from "../log.ts";
import type { AnyPlugin, Detector, JsonSchema, PluginContext, PluginKind } from "../plugin.ts";
import { createRng, hashString } from "../rng.ts";
import type { Pipeline, ResolvedNode, StageOptions } from "./types.ts";
import { ajv } from "./ajv.ts";
import { ajvDiagnostics } from "./ajv_errors.ts";
import { didYouMean } from "./did_you_mean.ts";
import { checkGraph, type GraphNode } from "./graph.ts";
import { checkPluginImports } from "./import_graph.ts";
import { applyOverrides, type OverrideHost } from "./overrides.ts";
import type { LoadedPlugin } from "./plugin_loader.ts";
import { moduleSpecifier, resolvePluginRef } from "./plugin_ref.ts";
import { createSandboxed, sandboxedSpecifier } from "./plugin_sandbox.ts";
import {
  envelopeSchema,
  NODE_SECTIONS,
  nodeSchemaFor,
  type NodeSection,
  RESERVED_KEYS,
} from "./schema.ts";
import { schemaAt, typeBySchema } from "./schema_path.ts";
import { checkStageOrder } from "./stage_order.ts";
import { childPointer, type PositionMap, splitPointer } from "./yaml_source.ts";

/** Inputs of `checkDocument`. */
export interface CheckOptions {
  /** Absolute pipeline path (or `<inline>`): relative plugin paths resolve against it. */
  file: string;
  positions: PositionMap;
  overrides?: readonly string[];
  /** Pointers of whole-scalar `${VAR}` values, typed by the schema here. */
  wholeReferences?: ReadonlySet<string>;
}

/** Outcome of checking a document. */
export interface CheckResult {
  pipeline?: Pipeline;
  diagnostics: Diagnostic[];
}

type Doc = Record<string, unknown>;
const isObject = (x: unknown): x is Doc => typeof x === "object" && x !== null && !Array.isArray(x);

const ENVELOPE = envelopeSchema();
const validateEnvelope = ajv.compile(ENVELOPE);

interface NodeEntry {
  section: NodeSection;
  pointer: string;
  node: Doc;
  loaded?: LoadedPlugin;
  options?: Doc;
  heads?: string[];
}

/** A `ctx.fail()` during validation: keeps the plugin's own message apart from the position. */
export class CreateFailure extends PluginError {
  constructor(readonly reason: string, detail: PluginError["detail"]) {
    super(reason, detail);
  }
}

/** A plugin context for validation-time `create()`: silent log, node-derived seed, throwing fail. */
export function validationContext(nodeId: string, plugin: string, seed: number): PluginContext {
  return {
    nodeId,
    log: silentLogger,
    rng: createRng((seed ^ hashString(nodeId)) >>> 0),
    seed,
    fail(message, detail) {
      throw new CreateFailure(message, { node: nodeId, plugin, hook: "create", ...detail });
    },
  };
}

/** Head names of a detector instance: `[""]` → the node id, else `<id>_<output>`. */
export function headNames(id: string, outputs: readonly string[]): string[] {
  return outputs.map((o) => (o === "" ? id : `${id}_${o}`));
}

/** Validates a plain document (not mutated) and builds the pipeline when it has no errors. */
export async function checkDocument(input: unknown, opts: CheckOptions): Promise<CheckResult> {
  const { positions } = opts;
  const diagnostics: Diagnostic[] = [];
  if (!isObject(input)) {
    diagnostics.push({
      ...positions.at(""),
      code: "not-a-mapping",
      severity: "error",
      message: "Cannot read pipeline: the file is not a mapping of pipeline sections",
      hint: "a pipeline starts with `version: 1`, `name: ...`, `source: ...`",
    });
    return { diagnostics };
  }
  const doc = structuredClone(input);
  const pluginsMap = () => (isObject(doc.plugins) ? doc.plugins : {});
  const seedOf = () => (Number.isInteger(doc.seed) ? doc.seed as number : 0);

  const loadFor = async (kind: PluginKind, node: Doc): Promise<LoadedPlugin | undefined> => {
    if (typeof node.plugin !== "string") return undefined;
    const ref = resolvePluginRef(kind, node.plugin, pluginsMap(), opts.file);
    if ("code" in ref) return undefined;
    const result = await ref.load();
    return "ok" in result && result.ok.plugin.kind === kind ? result.ok : undefined;
  };
  const host: OverrideHost = {
    optionsSchema: async (kind, node) => (await loadFor(kind, node))?.plugin.options,
    heads: async () => {
      const list = Array.isArray(doc.detectors) ? doc.detectors.filter(isObject) : [];
      const heads: string[] = [];
      for (const node of list) {
        const loaded = await loadFor("detector", node);
        const options = loaded ? optionsOf(node) : undefined;
        if (!loaded || !options || !loaded.validate(options)) continue;
        const made = await instantiate(loaded.plugin, String(node.id), options, seedOf());
        if ("outputs" in made) heads.push(...headNames(String(node.id), made.outputs));
      }
      return heads;
    },
  };

  diagnostics.push(...await applyOverrides(doc, opts.overrides ?? [], ENVELOPE, host, positions));
  for (const pointer of opts.wholeReferences ?? []) await typeReference(doc, pointer, host);

  if (!validateEnvelope(doc)) {
    diagnostics.push(...ajvDiagnostics(validateEnvelope.errors, { positions, base: "" }));
  }

  // Plugin nodes: resolve, load, validate options with the plugin's own schema.
  const entries: NodeEntry[] = [];
  const used = new Set<string>();
  for (const section of NODE_SECTIONS) {
    const value = doc[section.key];
    const nodes: [string, unknown][] = section.list
      ? (Array.isArray(value) ? value.map((n, i) => [childPointer(`/${section.key}`, i), n]) : [])
      : value === undefined
      ? []
      : [[`/${section.key}`, value]];
    for (const [pointer, node] of nodes) {
      if (!isObject(node)) continue;
      const entry: NodeEntry = { section, pointer, node };
      entries.push(entry);
      if (typeof node.plugin !== "string") continue;
      used.add(node.plugin);
      diagnostics.push(...await resolveNode(entry, doc, opts, seedOf()));
    }
  }
  for (const [id, spec] of Object.entries(pluginsMap())) {
    if (used.has(id) || typeof spec !== "string") continue;
    diagnostics.push(...await checkUnusedPlugin(id, spec, opts));
  }
  for (const [id, spec] of Object.entries(pluginsMap())) {
    const specifier = typeof spec === "string" ? moduleSpecifier(spec, opts.file) : undefined;
    if (specifier) diagnostics.push(...await checkPluginImports(id, specifier, positions));
  }

  const graphNodes: GraphNode[] = entries.filter((e) => typeof e.node.id === "string").map((e) => ({
    kind: e.section.kind,
    id: e.node.id as string,
    inputs: Array.isArray(e.node.inputs)
      ? e.node.inputs.filter((x): x is string => typeof x === "string")
      : [],
    pointer: e.pointer,
    heads: e.heads,
  }));
  diagnostics.push(...checkGraph(graphNodes, positions));
  diagnostics.push(...checkWeights(entries, positions));
  diagnostics.push(...checkStageOrder(doc, positions));

  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { pipeline: buildPipeline(doc, entries, opts), diagnostics };
}

/** Options of a node: every key but the reserved ones (a copy). */
function optionsOf(node: Doc): Doc {
  const options: Doc = {};
  for (const [k, v] of Object.entries(node)) {
    if (!(RESERVED_KEYS as readonly string[]).includes(k)) options[k] = structuredClone(v);
  }
  return options;
}

function outputsOf(detector: Detector): string[] {
  return Array.isArray(detector.outputs) ? detector.outputs.map(String) : [];
}

/** A validation-time `create()`: the instance's outputs, or its error (third-party: in the sandbox). */
async function instantiate(
  plugin: AnyPlugin,
  id: string,
  options: Doc,
  seed: number,
): Promise<{ outputs: string[] } | { error: Error }> {
  const sandboxed = sandboxedSpecifier(plugin);
  if (sandboxed) {
    const made = await createSandboxed(sandboxed, id, structuredClone(options), seed);
    if ("outputs" in made) return made;
    const e = made.error;
    if (e.reason !== null) return { error: new CreateFailure(e.reason, e.detail ?? {}) };
    if (e.detail) return { error: new PluginError(e.message, e.detail) };
    return { error: new Error(e.name === "Error" ? e.message : `${e.name}: ${e.message}`) };
  }
  try {
    const create = plugin.create as (o: unknown, c: PluginContext) => Detector;
    const instance = create(structuredClone(options), validationContext(id, plugin.name, seed));
    return { outputs: outputsOf(instance) };
  } catch (e) {
    return { error: e instanceof Error ? e : new Error(String(e)) };
  }
}

/** Types a whole-scalar `${VAR}` value by the schema at its pointer. */
async function typeReference(doc: Doc, pointer: string, host: OverrideHost): Promise<void> {
  const segments = splitPointer(pointer);
  let parent: unknown = doc;
  for (const s of segments.slice(0, -1)) {
    parent = isObject(parent) || Array.isArray(parent) ? (parent as Doc)[s] : undefined;
  }
  const last = segments[segments.length - 1];
  if (!(isObject(parent) || Array.isArray(parent)) || last === undefined) return;
  const holder = parent as Doc;
  if (typeof holder[last] !== "string") return;
  const section = NODE_SECTIONS.find((s) => s.key === segments[0]);
  let schema: JsonSchema = ENVELOPE;
  let rest = segments;
  const depth = section?.list ? 2 : 1;
  if (section && segments.length > depth) {
    const node = section.list ? (doc[section.key] as unknown[])?.[+segments[1]] : doc[section.key];
    if (!isObject(node)) return;
    const options = await host.optionsSchema(section.kind, node);
    if (!options) return;
    schema = nodeSchemaFor(section.kind, options);
    rest = segments.slice(depth);
  }
  const found = schemaAt(schema, rest);
  if (!("schema" in found)) return;
  const typed = typeBySchema(holder[last] as string, found.schema);
  if (typed) holder[last] = typed.value;
}

/** Loads one node's plugin and validates its options; records the result on the entry. */
async function resolveNode(
  entry: NodeEntry,
  doc: Doc,
  opts: CheckOptions,
  seed: number,
): Promise<Diagnostic[]> {
  const { section, pointer, node } = entry;
  const { positions } = opts;
  const id = typeof node.id === "string" ? node.id : undefined;
  const name = node.plugin as string;
  const at = childPointer(pointer, "plugin");
  const scope = { ...(id ? { node: id } : {}), plugin: name };
  const diag = (
    d: Omit<Diagnostic, "severity"> & { severity?: Diagnostic["severity"] },
  ): Diagnostic => ({
    ...positions.at(at),
    pointer: at,
    severity: "error",
    ...scope,
    ...d,
  });
  const pluginsMap = isObject(doc.plugins) ? doc.plugins : {};
  const ref = resolvePluginRef(section.kind, name, pluginsMap, opts.file);
  if ("code" in ref) return [diag({ code: ref.code, message: ref.message, hint: ref.hint })];
  const result = await ref.load();
  if ("problems" in result) return result.problems.map((p) => diag({ ...p }));
  const out = result.ok.warnings.map((w) => diag({ ...w }));
  const plugin = result.ok.plugin;
  if (plugin.kind !== section.kind) {
    out.push(diag({
      code: "plugin-kind",
      message:
        `Plugin "${name}" is a ${plugin.kind} plugin; the ${section.key} section needs a ${section.kind} plugin`,
    }));
    return out;
  }
  entry.loaded = result.ok;
  const options = optionsOf(node);
  if (!result.ok.validate(options)) {
    out.push(...ajvDiagnostics(result.ok.validate.errors, {
      positions,
      base: pointer,
      node: id,
      plugin: name,
      extraKeys: RESERVED_KEYS,
    }));
    return out;
  }
  entry.options = options;
  Object.assign(node, options);
  if (!id || !["detector", "feature", "fusion"].includes(section.kind)) return out;
  const made = await instantiate(plugin, id, options, seed);
  if ("error" in made) {
    const path = made.error instanceof PluginError ? made.error.detail.path : undefined;
    const target = path === undefined
      ? pointer
      : path.startsWith("/")
      ? pointer + path
      : path.split(".").reduce((p, s) => childPointer(p, s), pointer);
    const hint = made.error instanceof PluginError ? made.error.detail.hint : undefined;
    out.push({
      ...positions.at(target),
      pointer: target,
      code: "plugin-failed",
      severity: "error",
      ...scope,
      message: `Plugin "${name}" rejected its options: ${
        made.error instanceof CreateFailure ? made.error.reason : made.error.message
      }`,
      ...(hint ? { hint } : {}),
    });
    return out;
  }
  if (section.kind === "detector") {
    const outputs = made.outputs;
    if (outputs.length === 0) {
      out.push(diag({ code: "plugin-shape", message: `Detector "${id}" declares no outputs` }));
    } else entry.heads = headNames(id, outputs);
  }
  return out;
}

/** A `plugins` map entry no node uses is still checked, at the entry. */
async function checkUnusedPlugin(
  id: string,
  spec: string,
  opts: CheckOptions,
): Promise<Diagnostic[]> {
  const pointer = childPointer("/plugins", id);
  const at = { ...opts.positions.at(pointer), pointer, plugin: id };
  const specifier = moduleSpecifier(spec, opts.file);
  if (!specifier) {
    return [{
      ...at,
      code: "plugin-load",
      severity: "error",
      message:
        `Cannot load plugin "${id}": "${spec}" is not a relative path, file URL or npm: specifier`,
    }];
  }
  const ref = resolvePluginRef("detector", id, { [id]: spec }, opts.file);
  if ("code" in ref) return [];
  const result = await ref.load();
  return "problems" in result ? result.problems.map((p) => ({ ...at, ...p })) : [];
}

/** Fusion `weights` keys must name heads that feed the fusion node. */
function checkWeights(entries: readonly NodeEntry[], positions: PositionMap): Diagnostic[] {
  const fusion = entries.find((e) => e.section.kind === "fusion");
  if (!fusion?.options || !isObject(fusion.options.weights)) return [];
  const detectors = entries.filter((e) => e.section.kind === "detector");
  if (detectors.some((d) => !d.heads)) return []; // heads unknown: other errors say why
  const inputs = Array.isArray(fusion.node.inputs) ? fusion.node.inputs.map(String) : [];
  const heads = new Set<string>();
  for (const input of inputs) {
    const det = detectors.find((d) => d.node.id === input);
    if (det) det.heads!.forEach((h) => heads.add(h));
    else if (detectors.some((d) => d.heads!.includes(input))) heads.add(input);
  }
  const out: Diagnostic[] = [];
  for (const key of Object.keys(fusion.options.weights)) {
    if (heads.has(key)) continue;
    const pointer = childPointer(childPointer(fusion.pointer, "weights"), key);
    const legacy = key.endsWith("_z") && heads.has(key.slice(0, -2));
    const suggestion = legacy
      ? `did you mean \`${key.slice(0, -2)}\`? (ACM V8's \`_z\` suffix is not used)`
      : didYouMean(key, heads);
    out.push({
      ...positions.keyAt(pointer),
      pointer,
      code: "unknown-head",
      severity: "error",
      node: String(fusion.node.id),
      message: `Weight "${key}" names no head that feeds fusion node "${String(fusion.node.id)}"`,
      hint: `${suggestion ? suggestion + " " : ""}heads: ${[...heads].join(", ") || "(none)"}`,
    });
  }
  return out;
}

function resolved<P>(e: NodeEntry, opts: CheckOptions): ResolvedNode<P> {
  return {
    id: e.node.id as string,
    pluginName: e.node.plugin as string,
    plugin: e.loaded!.plugin as unknown as P,
    specifier: e.loaded!.specifier,
    inputs: Array.isArray(e.node.inputs) ? e.node.inputs.map(String) : [],
    options: e.options!,
    position: opts.positions.at(e.pointer),
  };
}

function buildPipeline(doc: Doc, entries: readonly NodeEntry[], opts: CheckOptions): Pipeline {
  const of = (kind: PluginKind) => entries.filter((e) => e.section.kind === kind);
  return {
    file: opts.file,
    name: doc.name as string,
    version: 1,
    seed: doc.seed as number,
    document: doc,
    source: resolved(of("source")[0], opts),
    features: of("feature").map((e) => resolved(e, opts)),
    detectors: of("detector").map((e) => resolved(e, opts)),
    fusion: resolved(of("fusion")[0], opts),
    sinks: of("sink").map((e) => resolved(e, opts)),
    stages: {
      sensor_health: doc.sensor_health,
      calibration: doc.calibration,
      regimes: doc.regimes,
      episodes: doc.episodes,
      health: doc.health,
      model: doc.model,
    } as StageOptions,
  };
}
