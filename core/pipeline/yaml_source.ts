/**
 * Reads a pipeline file's YAML with source positions: YAML syntax errors and
 * duplicate keys become positioned diagnostics, and every value (and mapping
 * key) is indexed by its JSON pointer so later stages can say "line:column".
 */
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import type { Diagnostic, Position } from "../errors.ts";
import { checkTextLimits, checkTreeDepth, tooDeep } from "./yaml_limits.ts";

/** Escapes one JSON-pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Splits a JSON pointer into unescaped segments (`""` → `[]`). */
export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Joins a parent pointer and one segment. */
export function childPointer(parent: string, segment: string | number): string {
  return `${parent}/${escapePointer(String(segment))}`;
}

/** Maps JSON pointers of a document to file positions, falling back to the nearest ancestor. */
export class PositionMap {
  readonly #values = new Map<string, Position>();
  readonly #keys = new Map<string, Position>();
  constructor(readonly file: string) {}

  /** Records the position of the value at `pointer` (and of its mapping key). */
  set(pointer: string, value: Position, key?: Position): void {
    this.#values.set(pointer, value);
    if (key) this.#keys.set(pointer, key);
  }

  /** True when the pointer was present in the file as written. */
  has(pointer: string): boolean {
    return this.#values.has(pointer);
  }

  /** Position of the value at `pointer`, or of its nearest ancestor present in the file. */
  at(pointer: string): Position {
    let p = pointer;
    while (!this.#values.has(p) && p !== "") p = p.slice(0, p.lastIndexOf("/"));
    const found = this.#values.get(p) ?? { line: 1, column: 1 };
    return { file: this.file, line: found.line, column: found.column, pointer };
  }

  /** Position of the mapping key of `pointer` (for unknown keys), else of its value. */
  keyAt(pointer: string): Position {
    const key = this.#keys.get(pointer);
    return key
      ? { file: this.file, line: key.line, column: key.column, pointer }
      : this.at(pointer);
  }
}

/** Calls `visit` on every node of the tree with its JSON pointer (aliases are not followed). */
export function walkYaml(
  node: unknown,
  pointer: string,
  visit: (node: Node, pointer: string, key?: Node) => void,
  key?: Node,
): void {
  if (node === null || node === undefined) return;
  visit(node as Node, pointer, key);
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const child = childPointer(pointer, k);
      if (pair.value === null || pair.value === undefined) {
        // `key:` with nothing after it: the key is the only place to point at.
        if (pair.key) visit(pair.key as Node, child, pair.key as Node);
      } else walkYaml(pair.value, child, visit, pair.key as Node);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkYaml(item, childPointer(pointer, i), visit));
  } else if (isAlias(node)) {
    // The alias' target was visited where its anchor stands.
  }
}

/** A parsed YAML file: its document (for in-place edits), line counter and diagnostics. */
export interface YamlSource {
  document: Document;
  lineCounter: LineCounter;
  /** YAML syntax errors and duplicate keys; empty when the file parsed. */
  diagnostics: Diagnostic[];
  /** Turns a character offset into a file position. */
  position(offset: number): Position;
}

/**
 * Parses YAML text, turning parse errors (syntax, duplicate keys) into positioned diagnostics.
 * Resource limits come first (see yaml_limits.ts): a text over the size limit or nested
 * deeper than the depth limit is refused before or instead of a parse that could exhaust
 * the stack or take minutes.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const early = checkTextLimits(text, file);
  if (early) {
    return { document: new Document(null), lineCounter, diagnostics: [early], position };
  }
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const deep = document.errors.find((e) => /call stack/i.test(e.message)) ??
    null;
  if (deep) {
    return {
      document,
      lineCounter,
      diagnostics: [tooDeep(position(deep.pos[0]), "the parser ran out of stack")],
      position,
    };
  }
  const depth = checkTreeDepth(document.contents, (offset) => position(offset));
  if (depth) return { document, lineCounter, diagnostics: [depth], position };
  const lines = new Set<number>();
  const errors = document.errors.filter((error) => {
    // One mistake often yields several errors on one line: keep the first.
    const line = lineCounter.linePos(error.pos[0]).line;
    if (lines.has(line)) return false;
    lines.add(line);
    return true;
  });
  const diagnostics: Diagnostic[] = errors.map((error) => {
    const duplicate = error.code === "DUPLICATE_KEY";
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:,{}\[\]\n]+)/.exec(text.slice(error.pos[0]))?.[1].trim();
    const at = position(error.pos[0]);
    const firstLine = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return {
      ...at,
      code: duplicate ? "yaml-duplicate-key" : "yaml-syntax",
      severity: "error",
      message: duplicate
        ? `Cannot read pipeline: the key ${JSON.stringify(key ?? "")} appears twice in one mapping`
        : `Cannot read pipeline: ${firstLine}`,
      hint: duplicate
        ? "remove one of the two entries; YAML mappings need unique keys"
        : `YAML error ${error.code}; check indentation, quotes and brackets near this position`,
    };
  });
  return { document, lineCounter, diagnostics, position };
}

/** Indexes every value and key position of a parsed document by JSON pointer. */
export function indexPositions(source: YamlSource, file: string): PositionMap {
  const map = new PositionMap(file);
  walkYaml(source.document.contents, "", (node, pointer, key) => {
    const keyPos = key?.range ? source.position(key.range[0]) : undefined;
    // An empty value (`fusion:` and nothing) has a zero-width range after the colon: use the key.
    const empty = node.range && node.range[0] === node.range[1];
    const value = empty && keyPos
      ? keyPos
      : node.range
      ? source.position(node.range[0])
      : { line: 1, column: 1 };
    map.set(pointer, { line: value.line, column: value.column }, keyPos);
  });
  return map;
}
