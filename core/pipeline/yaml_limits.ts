/**
 * Resource limits on pipeline YAML, so that a hostile or broken file gives a positioned
 * diagnostic instead of a stack overflow, an uncaught exception or a minute of parsing:
 *  - size: at most `MAX_PIPELINE_BYTES` (1 MiB; real pipelines are a few KB, and the YAML
 *    parser reads about 1 MB/s of plain mappings here);
 *  - depth: at most `MAX_PIPELINE_DEPTH` nested collections (64; the pipeline schema needs 6),
 *    checked on the text before parsing (flow brackets, indentation) and on the parsed tree
 *    (compact `- - -` sequences), without recursion;
 *  - aliases: expanding `*alias` references is capped when the document is converted
 *    (`MAX_ALIAS_COUNT`), the "billion laughs" attack.
 */
import { isAlias, isMap, isPair, isSeq, type Node } from "yaml";
import type { Diagnostic, Position } from "../errors.ts";
import type { YamlSource } from "./yaml_source.ts";

/** Largest pipeline text accepted, in bytes (UTF-16 code units of the decoded text). */
export const MAX_PIPELINE_BYTES = 1 << 20;
/** Deepest nesting of mappings and sequences accepted. */
export const MAX_PIPELINE_DEPTH = 64;
/** Most alias expansions accepted when the document is converted to data. */
export const MAX_ALIAS_COUNT = 1000;
/** Widest indentation accepted (columns); deeper block nesting cannot stay below it. */
const MAX_INDENT = 4 * MAX_PIPELINE_DEPTH;

/** A yaml-too-deep diagnostic at `at`. */
export function tooDeep(at: Position, why: string): Diagnostic {
  return {
    ...at,
    code: "yaml-too-deep",
    severity: "error",
    message:
      `Cannot read pipeline: the YAML nests deeper than ${MAX_PIPELINE_DEPTH} levels (${why})`,
    hint: "a pipeline needs a handful of levels; check for runaway brackets or indentation",
  };
}

/** A yaml-too-large diagnostic for a text of `size` bytes. */
export function tooLarge(file: string, size: number): Diagnostic {
  return {
    file,
    line: 1,
    column: 1,
    code: "yaml-too-large",
    severity: "error",
    message: `Cannot read pipeline: the file is ${(size / 1048576).toFixed(1)} MiB, over the ${
      MAX_PIPELINE_BYTES / 1048576
    } MiB limit`,
    hint: "a pipeline file is a few KB; is this the right file?",
  };
}

/** A yaml-aliases diagnostic at the first alias of the document. */
export function tooManyAliases(at: Position): Diagnostic {
  return {
    ...at,
    code: "yaml-aliases",
    severity: "error",
    message:
      `Cannot read pipeline: expanding the *alias references takes more than ${MAX_ALIAS_COUNT} ` +
      "copies (an alias bomb)",
    hint: "use fewer nested aliases; write the repeated values out",
  };
}

/**
 * Size and lexical depth checks on the raw text: the size limit, indentation wider than a
 * legal depth, and flow brackets (`[` `{`) nested past the limit (quotes and comments skipped).
 */
export function checkTextLimits(text: string, file: string): Diagnostic | null {
  if (text.length > MAX_PIPELINE_BYTES) return tooLarge(file, text.length);
  let line = 1;
  let col = 0;
  let depth = 0;
  let quote = 0;
  let comment = false;
  let indent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    col++;
    if (c === 10) {
      line++;
      col = 0;
      comment = false;
      indent = quote === 0; // a quoted scalar may span lines: its spaces are not indentation
      continue;
    }
    if (indent) {
      if (c === 32) {
        if (col > MAX_INDENT && !comment) {
          return tooDeep(
            { file, line, column: col },
            `indentation of more than ${MAX_INDENT} columns`,
          );
        }
        continue;
      }
      indent = false;
    }
    if (comment) continue;
    if (quote) {
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      } else if (c === 92 && quote === 34) i++;
      continue;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) <= 32)) comment = true;
    else if (c === 39 || c === 34) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_PIPELINE_DEPTH) {
        return tooDeep({ file, line, column: col }, `${depth} nested brackets`);
      }
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return null;
}

/** Depth check on the parsed tree, iterative (no recursion), at the first node past the limit. */
export function checkTreeDepth(
  root: unknown,
  position: (offset: number) => Position,
): Diagnostic | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_PIPELINE_DEPTH) {
        const range = (node as Node).range;
        return tooDeep(position(range ? range[0] : 0), `${depth + 1} nested collections`);
      }
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          stack.push([item.value, depth + 1]);
          stack.push([item.key, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return null;
}

/** Offset of the first alias in the tree (for the alias diagnostic), or 0. */
export function firstAliasOffset(root: unknown): number {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) return node.range?.[0] ?? 0;
    if (isMap(node) || isSeq(node)) {
      const items = node.items as unknown[];
      for (let k = items.length - 1; k >= 0; k--) {
        const item = items[k];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
  return 0;
}

/**
 * The parsed document as plain data with alias expansion capped at `MAX_ALIAS_COUNT`,
 * or the positioned yaml-aliases diagnostic past the cap.
 */
export function documentData(source: YamlSource): { data: unknown } | { diagnostic: Diagnostic } {
  try {
    return { data: source.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    // The yaml package throws a ReferenceError ("Excessive alias count") past the cap.
    if (!(e instanceof ReferenceError)) throw e;
    return {
      diagnostic: tooManyAliases(source.position(firstAliasOffset(source.document.contents))),
    };
  }
}
