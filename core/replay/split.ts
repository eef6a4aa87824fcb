/**
 * `acm split`: cuts one sensor history (or several files of one asset, e.g. a
 * baseline and a batch) into chunk files for replay. Inputs go through the
 * project's CSV reader (month-first mixed formats, BOM, `;` ...), are merged,
 * sorted and de-duplicated (last occurrence kept, counted), then split by time
 * (windows aligned to the first timestamp) or by row count. Chunks are written
 * atomically as `batch_001.csv ...`, header repeated, timestamps
 * `YYYY-MM-DDTHH:MM:SS` (the scores.csv form), numbers at full precision, NaN empty.
 */
import { lowerBound } from "../numeric/lower_bound.ts";
import { medianStep } from "../numeric/median_step.ts";
import { readCsvFile } from "../source/csv_reader.ts";
import { formatTimestamp, type Frame, makeFrame } from "../frame.ts";
import { atomicWriteText, ensureDir } from "../io/atomic_write.ts";
import { csvLine, formatNumber } from "../io/csv_text.ts";

const DAY = 86_400_000;

/** How to cut: exactly one of chunkDays / chunkRows / chunks, optionally a different first chunk. */
export interface SplitSpec {
  /** Time windows of D days, aligned to the first timestamp (after the first chunk). */
  chunkDays?: number;
  /** Chunks of N rows (the last one takes the remainder). */
  chunkRows?: number;
  /** N chunks of equal row count, the remainder going to the first (the original's layout). */
  chunks?: number;
  /** Length of the first (training) chunk in days. */
  firstChunkDays?: number;
  /** Length of the first (training) chunk in rows. */
  firstChunkRows?: number;
}

/** Throws RangeError when the spec is not exactly one positive rule (+ at most one first-chunk rule). */
export function validateSpec(spec: SplitSpec): void {
  const rules = (["chunkDays", "chunkRows", "chunks"] as const).filter((k) =>
    spec[k] !== undefined
  );
  if (rules.length !== 1) {
    throw new RangeError(
      `Cannot split: give exactly one of --chunk-days, --chunk-rows, --chunks (got ${rules.length})`,
    );
  }
  const firsts = (["firstChunkDays", "firstChunkRows"] as const).filter((k) =>
    spec[k] !== undefined
  );
  if (firsts.length > 1) {
    throw new RangeError(
      "Cannot split: give at most one of --first-chunk-days, --first-chunk-rows",
    );
  }
  if (firsts.length === 1 && spec.chunks !== undefined) {
    throw new RangeError("Cannot split: --chunks already decides the first chunk's size");
  }
  for (const key of [...rules, ...firsts]) {
    const v = spec[key] as number;
    const integer = key !== "chunkDays" && key !== "firstChunkDays";
    if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new RangeError(
        `Cannot split: ${key} "${v}" must be a positive ${integer ? "integer" : "number"}`,
      );
    }
  }
}

/**
 * Row ranges `[start, end)` of the chunks for ascending timestamps `ts`, plus notes
 * (empty time windows skipped). Time windows after a first chunk given in days start
 * at `ts[0] + firstChunkDays`; after one given in rows, at the next row's timestamp.
 */
export function planChunks(
  ts: Float64Array,
  spec: SplitSpec,
): { ranges: Array<[number, number]>; notes: string[] } {
  validateSpec(spec);
  const n = ts.length;
  const ranges: Array<[number, number]> = [];
  const notes: string[] = [];
  if (n === 0) return { ranges, notes: ["the input has no rows: no chunk written"] };
  if (spec.chunks !== undefined) {
    const count = Math.min(spec.chunks, n);
    const size = Math.floor(n / count);
    let s = 0;
    for (let k = 0; k < count; k++) {
      const e = s + size + (k === 0 ? n - size * count : 0);
      ranges.push([s, e]);
      s = e;
    }
    return { ranges, notes };
  }
  let s = 0;
  if (spec.firstChunkRows !== undefined) s = Math.min(n, spec.firstChunkRows);
  if (spec.firstChunkDays !== undefined) s = lowerBound(ts, ts[0] + spec.firstChunkDays * DAY);
  if (s > 0) ranges.push([0, s]);
  if (spec.chunkRows !== undefined) {
    for (; s < n; s += spec.chunkRows) ranges.push([s, Math.min(n, s + spec.chunkRows)]);
    return { ranges, notes };
  }
  const width = (spec.chunkDays as number) * DAY;
  const origin = spec.firstChunkDays !== undefined ? ts[0] + spec.firstChunkDays * DAY : ts[s];
  let skipped = 0;
  let prev = -1;
  while (s < n) {
    const w = Math.floor((ts[s] - origin) / width);
    if (w > prev + 1) skipped += w - prev - 1;
    let e = lowerBound(ts, origin + (w + 1) * width);
    if (e <= s) e = s + 1; // guards against rounding at a window edge
    ranges.push([s, e]);
    prev = w;
    s = e;
  }
  if (skipped > 0) {
    notes.push(`${skipped} empty ${spec.chunkDays}-day window(s) skipped (gaps in the data)`);
  }
  return { ranges, notes };
}

/** The guide's minimums for a training (first) chunk. */
export const MIN_FIRST_CHUNK = { rows: 500, hours: 24 } as const;

/** One written chunk. */
export interface ChunkInfo {
  /** File name, e.g. `batch_001.csv`. */
  name: string;
  path: string;
  rows: number;
  /** First and last timestamp (epoch ms). */
  start: number;
  end: number;
}

/** What a split did. */
export interface SplitResult {
  chunks: ChunkInfo[];
  /** Data records read over all inputs (before de-duplication). */
  records: number;
  /** Unique rows written. */
  rows: number;
  /** Rows dropped as duplicate timestamps (within and across inputs). */
  duplicates: number;
  columns: string[];
  /** Things the user should know (reader notes, skipped windows, removed files). */
  notes: string[];
  /** Things the user should act on (first chunk below the guide's minimums, ...). */
  warnings: string[];
}

/** Options of splitFiles(). */
export interface SplitOptions extends SplitSpec {
  inputs: string[];
  output: string;
  /** File name prefix (default `batch_`). */
  prefix?: string;
  /** Replace old `<prefix>NNN.csv` files in a non-empty output directory. */
  force?: boolean;
}

/** Stable sort by timestamp, then keep the last row of each timestamp. */
export function sortUnique(frame: Frame): { frame: Frame; duplicates: number } {
  const n = frame.rows;
  const ts = frame.timestamps;
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = ts[i] > ts[i - 1];
  if (sorted) return { frame, duplicates: 0 };
  order.sort((a, b) => ts[a] - ts[b] || a - b);
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k + 1 < n && ts[order[k + 1]] === ts[order[k]]) continue; // a later one wins
    keep.push(order[k]);
  }
  const m = keep.length;
  const cols = frame.columns.length;
  const values = new Float64Array(m * cols);
  const timestamps = new Float64Array(m);
  for (let k = 0; k < m; k++) timestamps[k] = ts[keep[k]];
  for (let j = 0; j < cols; j++) {
    const src = frame.values.subarray(j * n, (j + 1) * n);
    for (let k = 0; k < m; k++) values[j * m + k] = src[keep[k]];
  }
  return {
    frame: makeFrame({ columns: frame.columns, sensors: frame.sensors, values, timestamps }),
    duplicates: n - m,
  };
}

/** Stacks frames whose columns are the same set (reordered to the first frame's order). */
export function stackFrames(frames: readonly Frame[], names: readonly string[] = []): Frame {
  const first = frames[0];
  const cols = first.columns.length;
  const total = frames.reduce((s, f) => s + f.rows, 0);
  const values = new Float64Array(total * cols);
  const timestamps = new Float64Array(total);
  let at = 0;
  frames.forEach((f, k) => {
    const same = f.columns.length === cols && f.columns.every((c) => first.columns.includes(c));
    if (!same) {
      throw new RangeError(
        `Cannot merge inputs: "${names[k] ?? k}" has columns [${f.columns.join(", ")}], ` +
          `"${names[0] ?? 0}" has [${first.columns.join(", ")}]`,
      );
    }
    timestamps.set(f.timestamps, at);
    first.columns.forEach((c, j) => {
      const src = f.columns.indexOf(c);
      values.set(f.values.subarray(src * f.rows, (src + 1) * f.rows), j * total + at);
    });
    at += f.rows;
  });
  return makeFrame({ columns: first.columns, values, timestamps });
}

/** Rows `[start, end)` of a frame as CSV text with a header (`timestampHeader` first). */
export function frameToCsv(
  frame: Frame,
  timestampHeader = "timestamp",
  start = 0,
  end = frame.rows,
): string {
  const n = frame.rows;
  const cols = frame.columns.length;
  const parts: string[] = [csvLine([timestampHeader, ...frame.columns])];
  for (let i = start; i < end; i++) {
    let line = formatTimestamp(frame.timestamps[i]);
    for (let j = 0; j < cols; j++) line += "," + formatNumber(frame.values[j * n + i]);
    parts.push(line + "\n");
  }
  return parts.join("");
}

/** Refuses a non-empty output directory unless `force`; with `force` removes old chunk files. */
async function prepareOutput(dir: string, prefix: string, force: boolean): Promise<string[]> {
  const notes: string[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new Error(`Cannot split: output "${dir}" is a file, not a directory`);
    }
    for await (const e of Deno.readDir(dir)) entries.push(e);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (entries.length === 0) {
    await ensureDir(dir);
    return notes;
  }
  if (!force) {
    throw new Error(
      `Cannot split: output directory "${dir}" is not empty (${entries.length} entries)\n` +
        `    hint: choose another --output, or pass --force to replace its ${prefix}*.csv files`,
    );
  }
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\d+\\.csv$`);
  const old = entries.filter((e) => e.isFile && pattern.test(e.name));
  for (const e of old) await Deno.remove(`${dir}/${e.name}`);
  if (old.length > 0) notes.push(`removed ${old.length} old ${prefix}*.csv file(s) from ${dir}`);
  entries = entries.filter((e) => !old.includes(e));
  if (entries.length > 0) notes.push(`kept ${entries.length} other entr(ies) in ${dir}`);
  return notes;
}

/** Reads, merges, sorts, de-duplicates and splits the inputs, and writes the chunks. */
export async function splitFiles(opts: SplitOptions): Promise<SplitResult> {
  if (opts.inputs.length === 0) throw new Error("Cannot split: no --input file given");
  const prefix = opts.prefix ?? "batch_";
  if (!/^[\w. -]*$/.test(prefix)) {
    throw new Error(
      `Cannot split: prefix "${prefix}" may hold only letters, digits, _ . - and space`,
    );
  }
  validateSpec(opts);
  const notes = await prepareOutput(opts.output, prefix, opts.force ?? false);
  const tables = [];
  for (const path of opts.inputs) {
    const table = await readCsvFile(path);
    for (const note of table.notes) notes.push(`${path}: ${note.message}`);
    tables.push(table);
  }
  const records = tables.reduce((s, t) => s + t.records, 0);
  const merged = sortUnique(stackFrames(tables.map((t) => t.frame), opts.inputs));
  const frame = merged.frame;
  const duplicates = records - frame.rows;
  if (merged.duplicates > 0) {
    notes.push(
      `${merged.duplicates} duplicate timestamp(s) across inputs: the later input's row kept`,
    );
  }
  const plan = planChunks(frame.timestamps, opts);
  notes.push(...plan.notes);
  const width = Math.max(3, String(plan.ranges.length).length);
  const tsHeader = tables[0].timestampColumn;
  const chunks: ChunkInfo[] = [];
  for (let k = 0; k < plan.ranges.length; k++) {
    const [s, e] = plan.ranges[k];
    const name = `${prefix}${String(k + 1).padStart(width, "0")}.csv`;
    const path = `${opts.output}/${name}`;
    await atomicWriteText(path, frameToCsv(frame, tsHeader, s, e));
    chunks.push({
      name,
      path,
      rows: e - s,
      start: frame.timestamps[s],
      end: frame.timestamps[e - 1],
    });
  }
  return {
    chunks,
    records,
    rows: frame.rows,
    duplicates,
    columns: [...frame.columns],
    notes,
    warnings: chunkWarnings(chunks, frame.rows < 2 ? 0 : medianStep(frame.timestamps)),
  };
}

/** The guide's sizing rules: first chunk ≥ 500 rows and ≥ 24 h; every chunk ≤ 50,000 rows and ≤ 30 days. */
export function chunkWarnings(chunks: readonly ChunkInfo[], stepMs: number): string[] {
  const out: string[] = [];
  if (chunks.length === 0) return out;
  const first = chunks[0];
  const hours = (first.end - first.start + stepMs) / 3_600_000;
  if (first.rows < MIN_FIRST_CHUNK.rows || hours < MIN_FIRST_CHUNK.hours) {
    out.push(
      `first chunk ${first.name} has ${first.rows} rows over ${hours.toFixed(1)} h: below the ` +
        `guide's training minimum (${MIN_FIRST_CHUNK.rows} rows, ${MIN_FIRST_CHUNK.hours} h); ` +
        `use a larger --first-chunk-days/--first-chunk-rows`,
    );
  }
  const sizes = chunks.map((c) => c.rows).sort((a, b) => a - b);
  const median = sizes[sizes.length >> 1];
  for (const c of chunks.slice(1)) {
    if (c.rows * 4 < median) {
      out.push(
        `${c.name} has only ${c.rows} rows (a window cut short by a gap or the end of data)`,
      );
    }
  }
  for (const c of chunks) {
    const days = (c.end - c.start + stepMs) / 86_400_000;
    if (c.rows > 50_000 || days > 30) {
      out.push(
        `${c.name} has ${c.rows} rows over ${
          days.toFixed(1)
        } days: above the guide's maximum (50,000 rows, 30 days)`,
      );
    }
  }
  return out;
}
