/**
 * `--set a.b.c=value` overrides: a dotted path (segments may be "double.quoted"
 * to hold dots), node lists addressed by node id (`detectors.pca.n_components=3`),
 * the value typed by the schema at that path. Unknown paths and wrong types are
 * diagnostics (override-path with a did-you-mean, override-type).
 */
import type { Diagnostic, ErrorCode } from "../errors.ts";
import type { JsonSchema, PluginKind } from "../plugin.ts";
import { didYouMean } from "./did_you_mean.ts";
import { NODE_SECTIONS, nodeSchemaFor, RESERVED_KEYS } from "./schema.ts";
import { allowedKeys, schemaAt, schemaTypes, typeBySchema } from "./schema_path.ts";
import { childPointer, type PositionMap } from "./yaml_source.ts";

/** What overrides need to know about plugins. */
export interface OverrideHost {
  /** Options schema of a node's plugin; undefined when the plugin cannot be resolved. */
  optionsSchema(kind: PluginKind, node: Record<string, unknown>): Promise<JsonSchema | undefined>;
  /** Head names of the document's detectors (for legacy `fusion.weights.<head>_z` keys). */
  heads(): Promise<string[]>;
}

/** A parsed override. */
export interface Override {
  text: string;
  path: string[];
  value: string;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Parses `a.b."c.d"=value`; undefined when it has no `=` or a malformed path. */
export function parseOverride(text: string): Override | undefined {
  const path: string[] = [];
  let i = 0;
  let segment = "";
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && ch === "=") break;
    if (!quoted && ch === ".") {
      if (segment === "") return undefined;
      path.push(segment);
      segment = "";
      continue;
    }
    segment += ch;
  }
  if (quoted || i >= text.length || segment === "") return undefined;
  path.push(segment);
  return { text, path, value: text.slice(i + 1) };
}

/** Applies overrides in order to a plain document (mutated); returns the problems. */
export async function applyOverrides(
  doc: Record<string, unknown>,
  overrides: readonly string[],
  envelope: JsonSchema,
  host: OverrideHost,
  positions: PositionMap,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const text of overrides) {
    const problem = await applyOne(doc, text, envelope, host);
    if (problem) {
      const pointer = problem.pointer;
      let existing = pointer;
      while (existing !== "" && !positions.has(existing)) {
        existing = existing.slice(0, existing.lastIndexOf("/"));
      }
      out.push({
        ...positions.at(existing),
        pointer,
        code: problem.code,
        severity: "error",
        message: `Cannot apply --set "${text}": ${problem.message}`,
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
    }
  }
  return out;
}

interface Problem {
  code: ErrorCode;
  pointer: string;
  message: string;
  hint?: string;
}

async function applyOne(
  doc: Record<string, unknown>,
  text: string,
  envelope: JsonSchema,
  host: OverrideHost,
): Promise<Problem | undefined> {
  const parsed = parseOverride(text);
  if (!parsed) {
    return {
      code: "override-syntax",
      pointer: "",
      message: "expected key.path=value",
      hint: 'e.g. --set detectors.pca.n_components=3; quote a key holding dots: ranges."A.B".min=0',
    };
  }
  const { path, value } = parsed;
  const top = allowedKeys(envelope);
  if (!top.includes(path[0])) {
    return unknownKey(path[0], "", top);
  }
  const section = NODE_SECTIONS.find((s) => s.key === path[0]);
  let schema: JsonSchema = envelope;
  let base: string[] = [];
  let lookup: string[] = path;
  if (section && path.length > 1) {
    let rest = path.slice(1);
    let node: unknown = doc[section.key];
    base = [section.key];
    if (section.list) {
      const list = Array.isArray(doc[section.key]) ? doc[section.key] as unknown[] : [];
      const ids = list.map((n) => (isObject(n) ? String(n.id) : ""));
      let index = ids.indexOf(rest[0]);
      if (index < 0 && /^\d+$/.test(rest[0]) && +rest[0] < list.length) index = +rest[0];
      if (index < 0) {
        const hint = didYouMean(rest[0], ids);
        return {
          code: "override-path",
          pointer: `/${section.key}`,
          message: `no ${section.kind} node has the id "${rest[0]}"`,
          hint: `${hint ? hint + " " : ""}${section.key} ids: ${ids.join(", ") || "(none)"}`,
        };
      }
      node = list[index];
      base = [section.key, String(index)];
      rest = rest.slice(1);
    }
    if (!isObject(node)) {
      return {
        code: "override-path",
        pointer: `/${section.key}`,
        message: `the pipeline has no ${section.key} node`,
      };
    }
    if (rest.length === 0) {
      lookup = base;
      base = [];
    } else {
      const options = await host.optionsSchema(section.kind, node);
      schema = options ? nodeSchemaFor(section.kind, options) : { type: "object" };
      if (
        section.key === "fusion" && rest.length === 2 && rest[0] === "weights" &&
        rest[1].endsWith("_z")
      ) {
        const stripped = rest[1].slice(0, -2);
        const weights = node.weights;
        if ((isObject(weights) && stripped in weights) || (await host.heads()).includes(stripped)) {
          rest = ["weights", stripped];
        }
      }
      lookup = rest;
    }
  }
  const fullPath = [...base, ...lookup];
  const found = schemaAt(schema, lookup);
  if ("unknown" in found) {
    const parentPointer = toPointer([...base, ...lookup.slice(0, found.depth)]);
    const reserved = RESERVED_KEYS as readonly string[];
    const allowed = base.length > 0 && found.depth === 0
      ? [...reserved, ...found.allowed.filter((k) => !reserved.includes(k))]
      : found.allowed;
    return unknownKey(found.unknown, parentPointer, allowed);
  }
  const typed = typeBySchema(value, found.schema);
  const pointer = toPointer(fullPath);
  if (!typed) {
    const types = schemaTypes(found.schema).join(" or ");
    return {
      code: "override-type",
      pointer,
      message: `${path.join(".")} expects ${types}, got ${JSON.stringify(value)}`,
    };
  }
  setAt(doc, fullPath, typed.value);
  return undefined;
}

function unknownKey(key: string, parentPointer: string, allowed: readonly string[]): Problem {
  const hint = didYouMean(key, allowed);
  return {
    code: "override-path",
    pointer: childPointer(parentPointer, key),
    message: `there is no key "${key}" here`,
    hint: `${hint ? hint + " " : ""}allowed keys: ${allowed.join(", ") || "(none)"}`,
  };
}

function toPointer(path: readonly string[]): string {
  return path.reduce((p, s) => childPointer(p, s), "");
}

/** Sets a value at a path, creating mappings on the way. */
function setAt(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current: Record<string, unknown> | unknown[] = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const next: unknown = Array.isArray(current) ? current[+key] : current[key];
    if (isObject(next) || Array.isArray(next)) {
      current = next;
      continue;
    }
    const created: Record<string, unknown> = {};
    if (Array.isArray(current)) current[+key] = created;
    else current[key] = created;
    current = created;
  }
  const last = path[path.length - 1];
  if (Array.isArray(current)) current[+last] = value;
  else current[last] = value;
}
