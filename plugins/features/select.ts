/**
 * `select` feature: passes a subset of its input columns through unchanged, so one
 * detector can watch some sensors and another the rest (e.g. levels of fast process
 * signals in one head, slow thermal sensors in a drift-robust head). A pattern
 * names a column or its raw sensor exactly, or is a `/regular expression/` tested
 * against both. Stateless: no lookback.
 */
import { type Frame, selectColumns } from "../../core/frame.ts";
import { defineFeature } from "../../core/plugin.ts";

/** Options of `select`. */
export interface SelectOptions {
  include: string[];
  exclude: string[];
}

/** A compiled pattern: exact name, or a regular expression written `/.../`. */
type Matcher = (name: string) => boolean;

/** Compiles `/re/` as a RegExp and anything else as an exact name; null for a bad RegExp. */
export function compilePattern(pattern: string): Matcher | null {
  if (pattern.length >= 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
    let re: RegExp;
    try {
      re = new RegExp(pattern.slice(1, -1));
    } catch {
      return null;
    }
    return (name) => re.test(name);
  }
  return (name) => name === pattern;
}

/**
 * Indices of the columns kept: those matching any `include` pattern (all when
 * `include` is empty) and no `exclude` pattern, matched on column or sensor name.
 */
export function selectedColumns(
  frame: Pick<Frame, "columns" | "sensors">,
  include: readonly Matcher[],
  exclude: readonly Matcher[],
): number[] {
  const hit = (ms: readonly Matcher[], j: number) =>
    ms.some((m) => m(frame.columns[j]) || m(frame.sensors[j]));
  const out: number[] = [];
  for (let j = 0; j < frame.columns.length; j++) {
    if ((include.length === 0 || hit(include, j)) && !hit(exclude, j)) out.push(j);
  }
  return out;
}

const patternList = (description: string) => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  uniqueItems: true,
  description,
  default: [],
});

export default defineFeature<SelectOptions>({
  kind: "feature",
  name: "select",
  version: "1.0.0",
  summary:
    "Keeps the input columns named by `include` (all when empty) minus those named by `exclude`; exact names or /regex/ on column or sensor name.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      include: patternList(
        "Columns to keep: exact column or sensor names, or `/regex/` patterns. Empty = every column.",
      ),
      exclude: patternList(
        "Columns to drop from those included: exact column or sensor names, or `/regex/` patterns.",
      ),
    },
    examples: [
      { exclude: ["Temperature", "Thermocouple"] },
      { include: ["/vib|temp/"], exclude: [] },
    ],
  },
  create(options, ctx) {
    const compile = (list: string[], key: string) =>
      list.map((p, k) =>
        compilePattern(p) ??
          ctx.fail(`Cannot compile pattern "${p}": not a valid regular expression`, {
            path: `${key}/${k}`,
          })
      );
    const include = compile(options.include, "include");
    const exclude = compile(options.exclude, "exclude");
    return {
      lookback: { rows: 0, ms: 0 },
      transform(frame) {
        const keep = selectedColumns(frame, include, exclude);
        if (keep.length === 0) {
          ctx.fail(
            `Cannot select columns: none of ${frame.columns.length} input column(s) is left ` +
              `(include ${JSON.stringify(options.include)}, exclude ${
                JSON.stringify(options.exclude)
              })`,
            { hint: `input columns: ${frame.columns.slice(0, 12).join(", ")}` },
          );
        }
        return keep.length === frame.columns.length ? frame : selectColumns(frame, keep);
      },
    };
  },
});
