/**
 * `acm replay --sink NAME`: adds built-in sinks that need no options (csv,
 * jsonl, sqlite, report) to the pipeline for one run, with default options. A
 * sink the pipeline already has is left as it is; `csv` goes before any
 * `report` node (the report is built from the csv sink's files).
 */

/** Built-in sinks `--sink` can add (postgres and webhook need options: put them in the pipeline). */
export const CLI_SINKS = ["csv", "jsonl", "sqlite", "report"] as const;

/** A `--sink` name that is not one of CLI_SINKS; the message lists them. */
export class SinkNameError extends TypeError {
  constructor(name: string) {
    super(
      `Cannot add sink "${name}": --sink takes one of ${
        CLI_SINKS.join(", ")
      } (postgres and webhook need options: add them to the pipeline's sinks)`,
    );
    this.name = "SinkNameError";
  }
}

/** Throws SinkNameError for the first name that `--sink` cannot add. */
export function checkSinkNames(names: readonly string[]): void {
  const bad = names.find((n) => !(CLI_SINKS as readonly string[]).includes(n));
  if (bad !== undefined) throw new SinkNameError(bad);
}

type SinkNode = Record<string, unknown> & { id?: string; plugin?: string };

/**
 * The document with the named sinks added (default options), which ones were added and
 * which the pipeline already had.
 */
export function withSinks(
  document: Record<string, unknown>,
  names: readonly string[],
): { document: Record<string, unknown>; added: string[]; present: string[] } {
  checkSinkNames(names);
  const sinks = [...((document.sinks as SinkNode[] | undefined) ?? [])];
  const added: string[] = [], present: string[] = [];
  for (const name of new Set(names)) {
    if (sinks.some((s) => s.plugin === name)) {
      present.push(name);
      continue;
    }
    const ids = new Set(sinks.map((s) => s.id));
    let id = name;
    for (let k = 2; ids.has(id); k++) id = `${name}_${k}`;
    const node = { id, plugin: name };
    const report = sinks.findIndex((s) => s.plugin === "report");
    if (name === "csv" && report >= 0) sinks.splice(report, 0, node);
    else sinks.push(node);
    added.push(name);
  }
  return { document: { ...document, sinks }, added, present };
}
