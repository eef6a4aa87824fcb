/**
 * Turns Ajv validation errors into positioned diagnostics from the catalogue:
 * additionalProperties → unknown-key (with the allowed keys and a did-you-mean),
 * required → missing-key, type → wrong-type, every value constraint → bad-value.
 */
import type { Diagnostic, ErrorCode } from "../errors.ts";
import type { AjvError } from "./ajv.ts";
import { didYouMean } from "./did_you_mean.ts";
import { childPointer, type PositionMap } from "./yaml_source.ts";

/** Where the validated value sits and what it belongs to. */
export interface AjvContext {
  positions: PositionMap;
  /** Pointer of the validated value inside the pipeline document. */
  base: string;
  node?: string;
  plugin?: string;
  /** Keys allowed at the validated value's top level besides the schema's (a node's reserved keys). */
  extraKeys?: readonly string[];
}

/** Short description of a value for messages: `"abc"` (string), `12`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  null: "null",
};

/** Maps Ajv errors to diagnostics, skipping the branch noise of anyOf/oneOf. */
export function ajvDiagnostics(
  errors: readonly AjvError[] | null | undefined,
  ctx: AjvContext,
): Diagnostic[] {
  const list = errors ?? [];
  const combinators = list.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    .map((e) => e.schemaPath + "/");
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    if (combinators.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    if (e.keyword === "if") continue; // its `then` errors are reported themselves
    const d = toDiagnostic(e, ctx);
    const key = `${d.pointer}|${d.code}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(e: AjvError, ctx: AjvContext): Diagnostic {
  const at = ctx.base + e.instancePath;
  const scope = { node: ctx.node, plugin: ctx.plugin };
  const make = (
    code: ErrorCode,
    pointer: string,
    message: string,
    hint?: string,
    key = false,
  ): Diagnostic => ({
    ...(key ? ctx.positions.keyAt(pointer) : ctx.positions.at(pointer)),
    pointer,
    code,
    severity: "error",
    message,
    ...(hint ? { hint } : {}),
    ...(scope.node ? { node: scope.node } : {}),
    ...(scope.plugin ? { plugin: scope.plugin } : {}),
  });
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
      const allowed = [
        ...(e.instancePath === "" ? ctx.extraKeys ?? [] : []),
        ...Object.keys((parent.properties as object | undefined) ?? {}),
      ];
      const suggestion = didYouMean(key, allowed);
      const allowedText = allowed.length
        ? `allowed keys: ${allowed.join(", ")}`
        : "no keys are allowed here";
      return make(
        "unknown-key",
        childPointer(at, key),
        `Unknown key "${key}"`,
        suggestion ? `${suggestion} ${allowedText}` : allowedText,
        true,
      );
    }
    case "unevaluatedProperties": {
      const key = String(params.unevaluatedProperty);
      return make("unknown-key", childPointer(at, key), `Unknown key "${key}"`, undefined, true);
    }
    case "required": {
      const key = String(params.missingProperty);
      const props = ((e.parentSchema ?? {}) as Record<string, unknown>).properties as
        | Record<string, { description?: string }>
        | undefined;
      const what = props?.[key]?.description;
      return make(
        "missing-key",
        at,
        `Missing required key "${key}"`,
        what ? `${key}: ${what}` : undefined,
        true,
      );
    }
    case "type": {
      const expected = String(params.type).split(",").map((t) => TYPE_WORDS[t] ?? t).join(" or ");
      return make("wrong-type", at, `Expected ${expected}, got ${describeValue(e.data)}`);
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const hint = typeof e.data === "string"
        ? didYouMean(e.data, allowed.filter((x): x is string => typeof x === "string"))
        : undefined;
      return make(
        "bad-value",
        at,
        `Value ${JSON.stringify(e.data)} is not one of ${
          allowed.map((x) => JSON.stringify(x)).join(", ")
        }`,
        hint,
      );
    }
    default:
      return make(
        "bad-value",
        at,
        `Value ${JSON.stringify(e.data)} ${e.message ?? `fails ${e.keyword}`}`,
      );
  }
}
