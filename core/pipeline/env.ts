/**
 * Environment interpolation in scalar strings of a pipeline file:
 * `${VAR}`, `${VAR:-default}` (default when unset or empty) and
 * `${VAR:?message}` (error with that message when unset or empty); `$${`
 * writes a literal `${`. A variable whose value holds a newline is refused: it
 * would smuggle structure into a one-line setting. Keys are never interpolated.
 */
import { isScalar, type Scalar } from "yaml";
import type { Diagnostic, ErrorCode } from "../errors.ts";
import { walkYaml, type YamlSource } from "./yaml_source.ts";

/** Looks a variable up; undefined = not set. */
export type EnvLookup = (name: string) => string | undefined;

/** A problem found while interpolating one string. */
export interface EnvProblem {
  code: ErrorCode;
  message: string;
  hint?: string;
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([\s\S]*))?$/;
const WHOLE = /^\$\{[^{}]*\}$/;

/** Interpolates every reference in `text`; returns the new text or the first problem. */
export function interpolateString(
  text: string,
  lookup: EnvLookup,
): { value: string } | { problem: EnvProblem } {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith("$${", dollar)) {
      out += "${";
      i = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== "{") {
      out += "$";
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf("}", dollar + 2);
    const inner = close < 0 ? undefined : text.slice(dollar + 2, close);
    const m = inner === undefined ? null : REFERENCE.exec(inner);
    if (!m) {
      const shown = close < 0 ? text.slice(dollar) : text.slice(dollar, close + 1);
      return {
        problem: {
          code: "env-syntax",
          message:
            `Cannot interpolate "${shown}": not a \${VAR}, \${VAR:-default} or \${VAR:?message} reference`,
          hint: close < 0
            ? "close the reference with `}`; write `$${` for a literal `${`"
            : "variable names are letters, digits and `_`, not starting with a digit",
        },
      };
    }
    const [, name, op, arg] = m;
    const raw = lookup(name);
    const unset = raw === undefined || raw === "";
    if (raw !== undefined && /[\r\n]/.test(raw)) {
      return {
        problem: {
          code: "env-newline",
          message: `Cannot interpolate \${${name}}: its value holds a newline`,
          hint: "pipeline settings are one-line values; set the variable without line breaks",
        },
      };
    }
    if (op === ":-" && unset) out += arg;
    else if (unset && (op === ":?" || raw === undefined)) {
      return {
        problem: {
          code: "env-undefined",
          message: op === ":?" && arg
            ? `Cannot interpolate \${${name}}: ${arg}`
            : `Cannot interpolate \${${name}}: the environment variable "${name}" is not set`,
          hint: `set it (\`${name}=... acm ...\`) or give a default: \${${name}:-value}`,
        },
      };
    } else out += raw ?? "";
    i = close + 1;
  }
  return { value: out };
}

/** Result of interpolating a document in place. */
export interface EnvResult {
  diagnostics: Diagnostic[];
  /**
   * Pointers of scalars that were exactly one reference (typed later by the schema). Quoted ones
   * count too: inside a flow collection `{ a: ${X} }` the braces force quotes.
   */
  wholeReferences: Set<string>;
}

/** Interpolates every string scalar of the parsed document in place. */
export function interpolateDocument(source: YamlSource, lookup: EnvLookup): EnvResult {
  const diagnostics: Diagnostic[] = [];
  const wholeReferences = new Set<string>();
  walkYaml(source.document.contents, "", (node, pointer, key) => {
    if (!isScalar(node) || node === key || typeof node.value !== "string") return;
    const scalar = node as Scalar<string>;
    if (!scalar.value.includes("$")) return;
    const result = interpolateString(scalar.value, lookup);
    if ("problem" in result) {
      const at = scalar.range ? source.position(scalar.range[0]) : {};
      diagnostics.push({ ...at, pointer, severity: "error", ...result.problem });
      return;
    }
    if (WHOLE.test(scalar.value)) wholeReferences.add(pointer);
    scalar.value = result.value;
  });
  return { diagnostics, wholeReferences };
}
