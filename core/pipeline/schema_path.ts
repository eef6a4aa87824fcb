/**
 * Walks a JSON Schema along a key path (for `--set` overrides and `${VAR}`
 * typing) and types a text value by the schema found there.
 */
import { parse } from "yaml";
import type { JsonSchema } from "../plugin.ts";

/** The schema at a path, or which key was not allowed (with the allowed keys). */
export type SchemaLookup =
  | { schema: JsonSchema }
  | { unknown: string; depth: number; allowed: string[] };

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Follows a local `$ref` (`#/$defs/x`) inside `root`. */
function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 8 && typeof s.$ref === "string" && s.$ref.startsWith("#/"); i++) {
    let target: unknown = root;
    for (const seg of s.$ref.slice(2).split("/")) {
      target = isObject(target) ? target[seg] : undefined;
    }
    if (!isObject(target)) break;
    s = target;
  }
  return s;
}

/** The subschema one key (or list index) below `schema`; undefined = key not allowed. */
export function childSchema(
  schema: JsonSchema,
  key: string,
  root: JsonSchema = schema,
): JsonSchema | undefined {
  const s = deref(schema, root);
  const props = isObject(s.properties) ? s.properties : {};
  if (key in props) return isObject(props[key]) ? deref(props[key] as JsonSchema, root) : {};
  if (isObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties)) {
      if (new RegExp(pattern, "u").test(key) && isObject(sub)) return deref(sub, root);
    }
  }
  if (/^\d+$/.test(key) && isObject(s.items)) return deref(s.items, root);
  if (s.additionalProperties === false) return undefined;
  if (isObject(s.additionalProperties)) return deref(s.additionalProperties, root);
  if (s.type === "object" && isObject(s.properties) && s.additionalProperties === undefined) {
    return {};
  }
  return {};
}

/** Keys a schema lists as properties. */
export function allowedKeys(schema: JsonSchema, root: JsonSchema = schema): string[] {
  const s = deref(schema, root);
  return isObject(s.properties) ? Object.keys(s.properties) : [];
}

/** Walks `segments` from `schema`. */
export function schemaAt(
  schema: JsonSchema,
  segments: readonly string[],
  root: JsonSchema = schema,
): SchemaLookup {
  let current = deref(schema, root);
  for (let i = 0; i < segments.length; i++) {
    const next = childSchema(current, segments[i], root);
    if (!next) return { unknown: segments[i], depth: i, allowed: allowedKeys(current, root) };
    current = next;
  }
  return { schema: current };
}

/** JSON types a schema accepts (empty = unconstrained). */
export function schemaTypes(schema: JsonSchema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.map(String);
  const sample = "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : [];
  const types = new Set(
    sample.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)),
  );
  return [...types];
}

function matches(value: unknown, type: string): boolean {
  switch (type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

/**
 * Types `text` by the schema: numbers, integers, booleans, lists and mappings are
 * read as YAML; a string stays as written. Undefined when no accepted type fits.
 */
export function typeBySchema(text: string, schema: JsonSchema): { value: unknown } | undefined {
  const types = schemaTypes(schema);
  let parsed: unknown = text;
  try {
    parsed = parse(text);
  } catch {
    parsed = text;
  }
  if (types.length === 0) return { value: parsed === undefined ? text : parsed };
  if (types.some((t) => matches(parsed, t))) return { value: parsed };
  if (types.includes("string")) return { value: text };
  return undefined;
}
