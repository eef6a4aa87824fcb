/**
 * The one catalogue of diagnostic codes, and the error types that carry them.
 * Every pipeline, plugin and data problem is reported with a code from here, a
 * position (file, line, column, JSON pointer) where one exists, and a hint.
 */
export const CODES = {
  "file-read": "The pipeline file cannot be read",
  "yaml-syntax": "The file is not valid YAML",
  "yaml-duplicate-key": "A mapping has the same key twice",
  "not-a-mapping": "A mapping was expected",
  "unknown-key": "A key that is not allowed here",
  "missing-key": "A required key is missing",
  "wrong-type": "A value has the wrong type",
  "bad-value": "A value is outside what is allowed",
  "threshold-order": "Two thresholds that must be ordered (low ≤ high) are the other way round",
  "unknown-plugin": "No plugin with this name",
  "plugin-kind": "The plugin is of another kind than this section needs",
  "plugin-load": "The plugin module could not be loaded",
  "plugin-shape": "The plugin's default export does not follow the plugin contract",
  "plugin-host-api": "The plugin was written for another host API version",
  "plugin-schema": "The plugin's options schema does not compile",
  "plugin-example": "An example in the plugin's options schema does not validate",
  "plugin-failed": "A plugin reported a failure",
  "duplicate-id": "Two nodes have the same id",
  "dangling-input": "An input names no node",
  "input-kind": "An input names a node that cannot feed this one",
  "cycle": "Node inputs form a cycle",
  "unknown-head": "A key names no detector head that feeds this node",
  "env-undefined": "An environment variable is not set",
  "env-newline": "An environment variable holds a newline",
  "env-syntax": "A ${...} reference is malformed",
  "override-syntax": "A --set override is not of the form key=value",
  "override-path": "A --set override names a key that does not exist",
  "override-type": "A --set override value has the wrong type",
  "csv-empty": "The CSV file has no header or no data",
  "csv-timestamp": "A timestamp could not be parsed",
  "csv-no-timestamp-column": "No timestamp column was found",
  "csv-ragged": "A CSV row has the wrong number of fields",
  "csv-no-sensors": "No numeric sensor column is left",
  "csv-quote": "A quoted CSV field is not closed",
  "chunk-overlap": "A chunk starts at or before the end of the chunk before it",
  "yaml-too-large": "The pipeline file is larger than the limit",
  "yaml-too-deep": "The pipeline file nests deeper than the limit",
  "yaml-aliases": "The pipeline file expands too many aliases",
} as const;

/** A diagnostic code from the catalogue. */
export type ErrorCode = keyof typeof CODES;

/** Where something is: file, 1-based line and column, JSON pointer into the document. */
export interface Position {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** One reported problem. */
export interface Diagnostic extends Position {
  code: ErrorCode;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  /** Pipeline node id the problem belongs to. */
  node?: string;
  /** Plugin name the problem belongs to. */
  plugin?: string;
}

/** Formats a diagnostic as `file:line:col: error[code] message (at /pointer)` plus a hint line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file ?? "<input>", d.line, d.column].filter((x) => x !== undefined).join(":");
  const scope = [d.node ? `node "${d.node}"` : "", d.plugin ? `plugin "${d.plugin}"` : ""]
    .filter(Boolean).join(", ");
  let text = `${where}: ${d.severity}[${d.code}] ${d.message}`;
  if (d.pointer !== undefined) text += ` (at ${d.pointer || "/"})`;
  if (scope) text += ` [${scope}]`;
  if (d.hint) text += `\n    hint: ${d.hint}`;
  return text;
}

/** A pipeline that cannot be used: carries every diagnostic found in one pass. */
export class PipelineError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `Cannot use pipeline: ${errors.length} problem${errors.length === 1 ? "" : "s"}\n` +
        errors.map(formatDiagnostic).join("\n"),
    );
    this.name = "PipelineError";
    this.diagnostics = diagnostics;
  }
}

/** A plugin failed through `ctx.fail()`; core stamps the node, plugin and hook. */
export class PluginError extends Error {
  readonly code: ErrorCode = "plugin-failed";
  constructor(
    message: string,
    readonly detail: {
      node?: string;
      plugin?: string;
      hook?: string;
      path?: string;
      hint?: string;
    },
  ) {
    const scope = [
      detail.plugin && `plugin "${detail.plugin}"`,
      detail.node && `node "${detail.node}"`,
      detail.hook && `in ${detail.hook}()`,
    ].filter(Boolean).join(" ");
    super(
      `${scope ? scope + ": " : ""}${message}${detail.path ? ` (at ${detail.path})` : ""}${
        detail.hint ? `\n    hint: ${detail.hint}` : ""
      }`,
    );
    this.name = "PluginError";
  }
}

/** Input data that cannot be read: names the file, the 1-based line and the offending value. */
export class DataError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly position: { file?: string; line?: number; column?: number; value?: string } = {},
    readonly hint?: string,
  ) {
    const where = [position.file, position.line, position.column].filter((x) => x !== undefined)
      .join(":");
    super(`${where ? where + ": " : ""}${message}${hint ? `\n    hint: ${hint}` : ""}`);
    this.name = "DataError";
  }
}
