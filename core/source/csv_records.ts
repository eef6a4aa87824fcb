/**
 * The bulk pass of the CSV reader: scans every data record once, parsing the timestamp and
 * the candidate sensor cells in place (char codes, no per-cell strings) into column-major
 * buffers, then assembles the frame in sorted order.
 */
import { DataError } from "../errors.ts";
import type { DataNote } from "../plugin.ts";
import { type Frame, makeFrame } from "../frame.ts";
import { type CsvScanner, FIELD_ESCAPED } from "./csv_scanner.ts";
import { isMissingRange, parseNumberRange } from "./number.ts";
import { parseTimestampRange, TIMESTAMP_FORMATS_HINT, type TimestampState } from "./timestamp.ts";

/** Column-major buffers filled by one pass over the records (capacity `cap` rows per column). */
export interface Scan {
  rows: number;
  cap: number;
  values: Float64Array;
  ts: Float64Array;
  lines: Int32Array;
  present: Int32Array;
  badLine: Int32Array;
  badCount: Int32Array;
  badValue: string[];
  zoned: number;
  paddedRows: number;
}

/**
 * Reads every remaining record: timestamps (throwing csv-timestamp on the first bad one),
 * values of the candidate columns, and the first non-numeric cell per column.
 */
export function scanRecords(
  sc: CsvScanner,
  text: string,
  width: number,
  tsCol: number,
  cand: number[],
  st: TimestampState,
  file: string | undefined,
  tsName: string,
  header: string[],
): Scan {
  const m = cand.length;
  const field = Int32Array.from(cand);
  let cap = Math.max(16, estimateRecords(text, sc.pos));
  const scan: Scan = {
    rows: 0,
    cap,
    values: new Float64Array(cap * m),
    ts: new Float64Array(cap),
    lines: new Int32Array(cap),
    present: new Int32Array(m),
    badLine: new Int32Array(m),
    badCount: new Int32Array(m),
    badValue: new Array<string>(m).fill(""),
    zoned: 0,
    paddedRows: 0,
  };
  let values = scan.values;
  let r = 0;
  while (sc.next()) {
    const fc = sc.fieldCount;
    const starts = sc.starts;
    const ends = sc.ends;
    const flags = sc.flags;
    if (fc !== width && checkWidth(sc, width, header, file)) scan.paddedRows++;
    if (r === cap) {
      grow(scan, m, r);
      cap = scan.cap;
      values = scan.values;
    }
    let t: number;
    if (flags[tsCol] === FIELD_ESCAPED) {
      const v = sc.field(tsCol);
      t = parseTimestampRange(v, 0, v.length, st);
    } else {
      t = parseTimestampRange(text, starts[tsCol], ends[tsCol], st);
    }
    if (t !== t) {
      const v = sc.field(tsCol);
      throw new DataError(
        "csv-timestamp",
        `Cannot parse timestamp ${JSON.stringify(v)} in column "${tsName}": ${st.reason}`,
        { file, line: sc.line, value: v },
        TIMESTAMP_FORMATS_HINT,
      );
    }
    if (st.zoned) scan.zoned++;
    scan.ts[r] = t;
    scan.lines[r] = sc.line;
    for (let k = 0; k < m; k++) {
      const f = field[k];
      let v: number;
      if (flags[f] === FIELD_ESCAPED) {
        v = NaN;
      } else {
        v = parseNumberRange(text, starts[f], ends[f]);
      }
      if (v !== v) {
        if (flags[f] === FIELD_ESCAPED || !isMissingRange(text, starts[f], ends[f])) {
          if (scan.badCount[k]++ === 0) {
            scan.badLine[k] = sc.line;
            scan.badValue[k] = sc.field(f).trim();
          }
        }
      } else scan.present[k]++;
      values[k * cap + r] = v;
    }
    r++;
  }
  scan.rows = r;
  return scan;
}

/** Throws csv-ragged unless the extra fields of a too-long record are empty; true when padded. */
function checkWidth(sc: CsvScanner, width: number, header: string[], file?: string): boolean {
  const fc = sc.fieldCount;
  if (fc > width) {
    let empty = true;
    for (let k = width; k < fc && empty; k++) empty = sc.field(k).trim() === "";
    if (empty) return true;
  }
  throw new DataError(
    "csv-ragged",
    `Cannot read CSV: the row has ${fc} field${fc === 1 ? "" : "s"}, the header has ${width}`,
    { file, line: sc.line },
    fc < width
      ? `the row ends before column "${
        header[fc]
      }"; check for a missing delimiter or an unclosed quote`
      : "the row has values past the last header column; check the delimiter and quoting",
  );
}

/** Upper-bound guess of the records left: LF count (lone-CR files grow on demand). */
function estimateRecords(text: string, from: number): number {
  let count = 1;
  let i = text.indexOf("\n", from);
  while (i >= 0) {
    count++;
    i = text.indexOf("\n", i + 1);
  }
  return count;
}

/** Doubles the row capacity of the buffers, keeping the first `rows` rows. */
function grow(scan: Scan, m: number, rows: number): void {
  const cap = scan.cap * 2;
  const values = new Float64Array(cap * m);
  for (let k = 0; k < m; k++) {
    values.set(scan.values.subarray(k * scan.cap, k * scan.cap + rows), k * cap);
  }
  const ts = new Float64Array(cap);
  ts.set(scan.ts.subarray(0, rows));
  const lines = new Int32Array(cap);
  lines.set(scan.lines.subarray(0, rows));
  Object.assign(scan, { cap, values, ts, lines });
}

/**
 * Candidate columns to keep: drops (with a note) a column with a non-numeric cell when
 * `nonNumeric` is "drop_column", and a column without any value; notes NaN-read cells otherwise.
 */
export function keptColumns(
  scan: Scan,
  names: readonly string[],
  nonNumeric: "drop_column" | "nan" = "drop_column",
  notes: DataNote[],
): number[] {
  const keep: number[] = [];
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    if (scan.badLine[k] > 0 && nonNumeric === "drop_column") {
      notes.push({
        kind: "column-dropped",
        message: `dropped column "${name}": non-numeric value "${scan.badValue[k]}" at line ${
          scan.badLine[k]
        }`,
        column: name,
        line: scan.badLine[k],
      });
    } else if (scan.present[k] === 0) {
      notes.push({
        kind: "column-dropped",
        message: `dropped column "${name}": no values (every cell is empty or NaN)`,
        column: name,
      });
    } else {
      if (scan.badLine[k] > 0) {
        notes.push({
          kind: "non-numeric-cells",
          message: `column "${name}": ${scan.badCount[k]} non-numeric cell(s) read as NaN, first "${
            scan.badValue[k]
          }" at line ${scan.badLine[k]}`,
          column: name,
          count: scan.badCount[k],
          line: scan.badLine[k],
        });
      }
      keep.push(k);
    }
  }
  return keep;
}

/** Builds the frame from the kept candidate columns, in `index` row order when given. */
export function assembleFrame(
  scan: Scan,
  keep: number[],
  index: Int32Array | null,
  header: string[],
  cand: number[],
): Frame {
  const n = index ? index.length : scan.rows;
  const values = new Float64Array(n * keep.length);
  const timestamps = new Float64Array(n);
  if (index) {
    for (let r = 0; r < n; r++) timestamps[r] = scan.ts[index[r]];
  } else timestamps.set(scan.ts.subarray(0, n));
  keep.forEach((k, out) => {
    const src = scan.values.subarray(k * scan.cap, k * scan.cap + scan.rows);
    if (index) {
      const base = out * n;
      for (let r = 0; r < n; r++) values[base + r] = src[index[r]];
    } else values.set(src.subarray(0, n), out * n);
  });
  return makeFrame({ columns: keep.map((k) => header[cand[k]]), values, timestamps });
}
