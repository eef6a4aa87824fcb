/**
 * Reading SKAB files: the `;`-separated data and label CSVs
 * (`datetime;...;anomaly;changepoint`, timestamps `YYYY-MM-DD hh:mm:ss`, mixed CRLF/LF)
 * and the run-length alarm files (`predictions_rle.json` layout: runs of 1s as
 * inclusive timestamp pairs). Timestamps become epoch ms of the naive wall-clock
 * time read as UTC, the same convention as `Frame.timestamps`.
 */
import { lowerBound } from "../numeric/lower_bound.ts";
import { DataError } from "../errors.ts";

/** Truth of one SKAB file: per row its timestamp, `anomaly` and `changepoint` flags (1 or 0). */
export interface SkabLabels {
  timestamps: Float64Array;
  anomaly: Uint8Array;
  changepoint: Uint8Array;
}

/** One run of alarms, inclusive at both ends, as written in the file. */
export type AlarmRun = [string, string];

/** A binary prediction over a span of a file's rows, stored as runs of 1s. */
export interface RleSeries {
  /** First and last timestamp the prediction covers; absent = the file's test rows. */
  first?: string;
  last?: string;
  ones: AlarmRun[];
}

/** Binary prediction per row, on its own timestamps. */
export interface AlarmSeries {
  timestamps: Float64Array;
  alarm: Uint8Array;
}

const TS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** Parses `YYYY-MM-DD hh:mm:ss[.fff]` (or with `T`) as naive epoch ms; NaN when malformed. */
export function parseSkabTimestamp(text: string): number {
  const m = TS.exec(text.trim());
  if (!m) return NaN;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

/**
 * Parses a SKAB CSV (labels file or full data file) into its label columns.
 * Any value other than 1 (0, NaN, empty) counts as 0. Throws DataError naming the
 * file and line on a missing column, a short row or a bad timestamp.
 */
export function parseSkabLabels(text: string, file = "<input>"): SkabLabels {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) {
    throw new DataError("csv-empty", "Cannot read labels: no header", { file });
  }
  const header = lines[0].replace(/^\uFEFF/, "").split(";").map((h) => h.trim());
  const find = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) {
      throw new DataError(
        name === "datetime" ? "csv-no-timestamp-column" : "missing-key",
        `Cannot read labels: no "${name}" column in header "${lines[0]}"`,
        { file, line: 1 },
      );
    }
    return j;
  };
  const jt = find("datetime"), ja = find("anomaly"), jc = find("changepoint");
  const width = Math.max(jt, ja, jc) + 1;
  const n = lines.length - 1;
  const timestamps = new Float64Array(n);
  const anomaly = new Uint8Array(n);
  const changepoint = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const fields = lines[i + 1].split(";");
    if (fields.length < width) {
      throw new DataError(
        "csv-ragged",
        `Cannot read labels: row has ${fields.length} fields, expected at least ${width}`,
        { file, line: i + 2 },
      );
    }
    const t = parseSkabTimestamp(fields[jt]);
    if (Number.isNaN(t)) {
      throw new DataError("csv-timestamp", `Cannot parse timestamp: "${fields[jt]}"`, {
        file,
        line: i + 2,
        value: fields[jt],
      });
    }
    timestamps[i] = t;
    anomaly[i] = Number(fields[ja]) === 1 ? 1 : 0;
    changepoint[i] = Number(fields[jc]) === 1 ? 1 : 0;
  }
  return { timestamps, anomaly, changepoint };
}

/** Reads and parses a SKAB CSV file's label columns. */
export async function readSkabLabels(path: string): Promise<SkabLabels> {
  return parseSkabLabels(await Deno.readTextFile(path), path);
}

/** Rows `[start, end)` of a labels set (copies). */
export function sliceLabels(
  labels: SkabLabels,
  start: number,
  end = labels.timestamps.length,
): SkabLabels {
  return {
    timestamps: labels.timestamps.slice(start, end),
    anomaly: labels.anomaly.slice(start, end),
    changepoint: labels.changepoint.slice(start, end),
  };
}

/**
 * Lists the SKAB CSVs under `dir` as sorted relative keys (`valve1/0.csv`): the
 * CSVs of every sub-folder one level down plus any CSV directly in `dir`.
 * Folders named in `skip` (default `anomaly-free`, `labels`) and hidden ones are left out.
 */
export async function listSkabFiles(
  dir: string,
  skip: readonly string[] = ["anomaly-free", "labels"],
): Promise<string[]> {
  const keys: string[] = [];
  const csvIn = async (sub: string) => {
    for await (const e of Deno.readDir(sub === "" ? dir : `${dir}/${sub}`)) {
      if (e.isFile && e.name.toLowerCase().endsWith(".csv")) {
        keys.push(sub === "" ? e.name : `${sub}/${e.name}`);
      }
    }
  };
  await csvIn("");
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory && !e.name.startsWith(".") && !skip.includes(e.name)) await csvIn(e.name);
  }
  return keys.sort(compareKeys);
}

/** Orders `group/name.csv` keys by group, then by name with numbers compared numerically. */
export function compareKeys(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/**
 * Parses an alarm file: `{ file: [[start, end], ...] }` or `{ file: { first?, last?, ones } }`
 * (the per-algorithm value of `predictions_rle.json`). Throws RangeError on another shape.
 */
export function parseRleAlarms(json: unknown, source = "<input>"): Map<string, RleSeries> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new RangeError(`Cannot read alarms from "${source}": top level is not an object`);
  }
  const out = new Map<string, RleSeries>();
  for (const [file, value] of Object.entries(json as Record<string, unknown>)) {
    const series = Array.isArray(value) ? { ones: value } : value as Record<string, unknown>;
    const ones = series?.ones;
    const okRun = (r: unknown) =>
      Array.isArray(r) && r.length === 2 && typeof r[0] === "string" && typeof r[1] === "string";
    if (!Array.isArray(ones) || !ones.every(okRun)) {
      throw new RangeError(
        `Cannot read alarms of "${file}" from "${source}": expected [[start, end], ...] or { ones: [...] }`,
      );
    }
    out.set(file, {
      first: typeof series.first === "string" ? series.first : undefined,
      last: typeof series.last === "string" ? series.last : undefined,
      ones: ones as AlarmRun[],
    });
  }
  return out;
}

/**
 * Expands runs onto a file's rows: the series covers the `rows` timestamps within
 * `[first, last]` (all of `rows` when absent); a row is 1 when it lies in a run.
 */
export function expandRle(series: RleSeries, rows: Float64Array): AlarmSeries {
  const lo = series.first === undefined ? -Infinity : parseSkabTimestamp(series.first);
  const hi = series.last === undefined ? Infinity : parseSkabTimestamp(series.last);
  const idx: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i] >= lo && rows[i] <= hi) idx.push(i);
  const timestamps = Float64Array.from(idx, (i) => rows[i]);
  const alarm = new Uint8Array(timestamps.length);
  for (const [a, b] of series.ones) {
    const s = parseSkabTimestamp(a), e = parseSkabTimestamp(b);
    if (Number.isNaN(s) || Number.isNaN(e)) {
      throw new RangeError(`Cannot read alarm run: ["${a}", "${b}"] is not a timestamp pair`);
    }
    for (let i = lowerBound(timestamps, s); i < timestamps.length && timestamps[i] <= e; i++) {
      alarm[i] = 1;
    }
  }
  return { timestamps, alarm };
}

/** Compresses a binary series into inclusive runs of 1s (the inverse of `expandRle`). */
export function toRle(series: AlarmSeries, format: (ms: number) => string): AlarmRun[] {
  const runs: AlarmRun[] = [];
  const n = series.alarm.length;
  for (let i = 0; i < n; i++) {
    if (series.alarm[i] !== 1) continue;
    let j = i;
    while (j + 1 < n && series.alarm[j + 1] === 1) j++;
    runs.push([format(series.timestamps[i]), format(series.timestamps[j])]);
    i = j;
  }
  return runs;
}

/** Formats epoch ms as SKAB's `YYYY-MM-DD hh:mm:ss`. */
export function formatSkabTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
