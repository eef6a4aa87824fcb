/**
 * `acm split`: cuts a sensor history into replay chunks (`batch_001.csv` ...).
 * Exit codes: 0 written, 1 the input or output could not be used, 2 usage.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Command } from "./_command.ts";
import { formatTimestamp } from "../core/frame.ts";
import { splitFiles, type SplitOptions, validateSpec } from "../core/replay/split.ts";

const USAGE = `Usage:
  acm split --input FILE [--input FILE2 ...] (--chunk-days D | --chunk-rows N | --chunks N)
            [--first-chunk-days D0 | --first-chunk-rows N0] --output DIR [--prefix batch_] [--force]

Reads the input(s) with the CSV source (month-first mixed timestamps, BOM, ';' ...), merges them,
sorts by time and drops duplicate timestamps (the last occurrence wins, reported), then writes
chunks DIR/batch_001.csv, batch_002.csv ... each with the header, timestamps as
YYYY-MM-DDTHH:MM:SS, numbers at full precision and missing values as empty cells.

  --input FILE            sensor CSV; repeat to merge files of one asset (baseline + batch)
  --chunk-days D          time windows of D days, aligned to the first timestamp; empty windows skipped
  --chunk-rows N          N rows per chunk (the last takes the remainder)
  --chunks N              N chunks of equal row count, the remainder going to the first
  --first-chunk-days D0   make the first (training) chunk D0 days; the guide recommends 2-3x the others
  --first-chunk-rows N0   make the first (training) chunk N0 rows
  --output DIR            where the chunks go (default data/chunked/<EQUIP> with --equip)
  --equip NAME            asset name, as in the guide's split_data.py call
  --prefix TEXT           chunk file name prefix (default batch_)
  --force                 write into a non-empty DIR, replacing its old <prefix>*.csv files
  -h, --help              this text

Example (the guide's Pattern 1, then replay):
  acm split --equip FD_FAN --input data/FD_FAN_HISTORICAL.csv --chunk-days 7 --first-chunk-days 14
  acm replay --equip FD_FAN --max-workers 1 --clear-cache

Exit codes: 0 written, 1 the input or output could not be used, 2 usage error.`;

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) {
    throw new TypeError(`Cannot parse --${name}: "${value}" is not a number`);
  }
  return x;
}

/** Right-pads a table of strings into aligned columns. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd()).join("\n");
}

async function run(args: string[]): Promise<number> {
  let options: SplitOptions;
  try {
    const { values: v, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        input: { type: "string", multiple: true },
        "chunk-days": { type: "string" },
        "chunk-rows": { type: "string" },
        chunks: { type: "string" },
        "first-chunk-days": { type: "string" },
        "first-chunk-rows": { type: "string" },
        output: { type: "string" },
        equip: { type: "string" },
        prefix: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new TypeError(`unexpected argument "${positionals[0]}"`);
    if (!v.input?.length) throw new TypeError("--input FILE is required");
    const output = v.output ?? (v.equip ? `data/chunked/${v.equip}` : undefined);
    if (output === undefined) throw new TypeError("--output DIR is required (or --equip NAME)");
    options = {
      inputs: v.input.map((f) => resolve(f)),
      output: resolve(output),
      prefix: v.prefix,
      force: v.force ?? false,
      chunkDays: numberFlag("chunk-days", v["chunk-days"]),
      chunkRows: numberFlag("chunk-rows", v["chunk-rows"]),
      chunks: numberFlag("chunks", v.chunks),
      firstChunkDays: numberFlag("first-chunk-days", v["first-chunk-days"]),
      firstChunkRows: numberFlag("first-chunk-rows", v["first-chunk-rows"]),
    };
    validateSpec(options);
  } catch (e) {
    const message = (e as Error).message.replace(/^Cannot split: /, "");
    console.error(`Cannot split: ${message}\n(run "acm split --help" for usage)`);
    return 2;
  }
  try {
    const result = await splitFiles(options);
    for (const note of result.notes) console.log(`note: ${note}`);
    const rows = [["chunk", "rows", "start", "end"]];
    for (const c of result.chunks) {
      rows.push([c.name, String(c.rows), formatTimestamp(c.start), formatTimestamp(c.end)]);
    }
    console.log(table(rows));
    console.log(
      `${result.chunks.length} chunk(s), ${result.rows} rows (${result.records} read, ` +
        `${result.duplicates} duplicate(s) dropped), ${result.columns.length} sensor(s) → ${options.output}`,
    );
    for (const w of result.warnings) console.error(`warning: ${w}`);
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}

/** The `split` command: cut a sensor history into replay chunks. */
const command: Command = {
  name: "split",
  summary: "Cut a sensor CSV into replay chunks (batch_001.csv ...), sorted and de-duplicated",
  usage: USAGE,
  run,
};

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
