/**
 * The timestamps, health and alarm flags of the last days of an asset's scores.csv, read
 * from the end of the file: the fleet index's 30-day trend (health_trend.ts)
 * costs the same for an asset with years of history as for one with a month.
 * A block from the end is read, then, if it does not reach back to a row before
 * the window, one as large as its rows say the window takes (at least twice
 * as large; the header line is read from the start).
 * scores.csv is in time order (chunks are appended in order, rebuilt in order),
 * so the rows read are every row of the window.
 */
import { readNumericCsv } from "../io/numeric_csv.ts";
import { readRange } from "../io/read_range.ts";
import { parseIso } from "./read_outputs.ts";

const DAY = 86_400_000;
/** Bytes of the first block read from the end (about a week of 1-minute rows of a small asset). */
const FIRST_BLOCK = 1 << 20;

/** The columns the fleet index reads, oldest row first. */
export interface ScoresTail {
  t: Float64Array;
  health: Float64Array;
  /** 1 inside an episode, 0 outside (scores.csv `alarm`). */
  alarm: Float64Array;
}

/** The header line's bytes and the offset where the rows begin (the file's length without a newline). */
async function headerOf(file: Deno.FsFile, size: number): Promise<[Uint8Array, number]> {
  for (let len = 1 << 16;; len *= 4) {
    const bytes = await readRange(file, 0, Math.min(len, size));
    const nl = bytes.indexOf(10);
    if (nl >= 0) return [bytes.subarray(0, nl), nl + 1];
    if (bytes.length >= size) return [bytes, size];
  }
}

/**
 * `t`, `health` and `alarm` of the rows of scores.csv at `path` from at least
 * the start of the `days` UTC days ending with the day of its last row (NaN
 * throughout for a column the file lacks); null when the file is absent.
 */
export async function readHealthTail(
  path: string,
  days = 30,
  opts: { firstBlock?: number } = {},
): Promise<ScoresTail | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw new Error(`Cannot read "${path}": ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
  try {
    const size = (await file.stat()).size;
    const [header, rowsAt] = await headerOf(file, size);
    const decoder = new TextDecoder();
    const head = decoder.decode(header);
    let block = opts.firstBlock ?? FIRST_BLOCK;
    for (;;) {
      const start = Math.max(rowsAt, size - block);
      let bytes = await readRange(file, start, size - start);
      // A block that starts mid-file starts mid-line: its first (partial) line is dropped.
      if (start > rowsAt) bytes = bytes.subarray(bytes.indexOf(10) + 1);
      const csv = readNumericCsv(`${head}\n${decoder.decode(bytes)}`, parseIso);
      const n = csv.t.length;
      const day0 = n > 0 ? (Math.floor(csv.t[n - 1] / DAY) - (days - 1)) * DAY : NaN;
      if (start === rowsAt || (n > 1 && csv.t[0] < day0)) {
        const column = (name: string) => {
          const j = csv.columns.indexOf(name);
          return j < 0 ? new Float64Array(n).fill(NaN) : csv.values[j];
        };
        return { t: csv.t, health: column("health"), alarm: column("alarm") };
      }
      // The next block: what the rows read so far say the window takes (a quarter
      // more, for rows that vary in length), at least twice this one.
      const span = n > 1 ? csv.t[n - 1] - csv.t[0] : 0;
      const need = span > 0 ? ((csv.t[n - 1] - day0) / span) * bytes.length * 1.25 : 0;
      block = Math.max(2 * block, Math.ceil(need));
    }
  } finally {
    file.close();
  }
}
