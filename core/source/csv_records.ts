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
  /** Up to `EXAMPLES` bad cells per column: line and value. */
  badExamples: { line: number; value: string }[][];
  /** Cells per column whose number is beyond the double range (`1e309`), read as NaN. */
  overflowCount: Int32Array;
  overflowLine: Int32Array;
  overflowValue: string[];
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
    badExamples: Array.from({ length: m }, () => []),
    overflowCount: new Int32Array(m),
    overflowLine: new Int32Array(m),
    overflowValue: new Array<string>(m).fill(""),
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
          const n = scan.badCount[k]++;
          if (n < EXAMPLES) {
            const value = sc.field(f).trim();
            if (n === 0) {
              scan.badLine[k] = sc.line;
              scan.badValue[k] = value;
            }
            scan.badExamples[k].push({ line: sc.line, value });
          }
        }
      } else if (v === Infinity || v === -Infinity) {
        // A decimal beyond ±1.8e308 (`1e309`) parses to ±Infinity: not a reading.
        if (scan.overflowCount[k]++ === 0) {
          scan.overflowLine[k] = sc.line;
          scan.overflowValue[k] = sc.field(f).trim();
        }
        v = NaN;
      } else scan.present[k]++;
      values[k * cap + r] = v;
    }
    r++;
  }
  scan.rows = r;
  return scan;
}

/** Bad cells per column quoted (line and value) in its note. */
const EXAMPLES = 3;

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

/** How non-numeric cells are treated (the csv source's `non_numeric` options). */
export interface NonNumericPolicy {
  /** "nan": a bad cell becomes NaN with a note; "drop_column": one bad cell drops the column. */
  mode: "nan" | "drop_column";
  /** With "nan": a column whose share of bad cells exceeds this is dropped (with a note). */
  maxFraction: number;
}

/**
 * Candidate columns to keep. With mode "nan" a non-numeric cell is read as NaN and counted in
 * a note naming the column and the first lines; a column past `maxFraction` of bad cells is
 * dropped with a note stating its share. Mode "drop_column" drops a column on its first bad
 * cell. A column without any value is dropped; overflowing numbers (`1e309`) are noted.
 */
export function keptColumns(
  scan: Scan,
  names: readonly string[],
  policy: NonNumericPolicy,
  notes: DataNote[],
): number[] {
  const keep: number[] = [];
  const rows = scan.rows;
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    const bad = scan.badCount[k];
    const share = rows > 0 ? bad / rows : 0;
    if (bad > 0 && (policy.mode === "drop_column" || share > policy.maxFraction)) {
      const why = policy.mode === "drop_column"
        ? "non_numeric is drop_column"
        : `more than max_non_numeric_fraction ${policy.maxFraction}`;
      notes.push({
        kind: "column-dropped",
        message: `dropped column "${name}": ${bad} of ${rows} cells (${
          pct(share)
        }) are not numbers, ${why}; first ${examples(scan.badExamples[k])}`,
        column: name,
        count: bad,
        line: scan.badLine[k],
      });
      continue;
    }
    if (scan.present[k] === 0) {
      notes.push({
        kind: "column-dropped",
        message: `dropped column "${name}": no values (every cell is empty or NaN)`,
        column: name,
        count: rows,
      });
      continue;
    }
    if (bad > 0) {
      notes.push({
        kind: "non-numeric-cells",
        message: `column "${name}": ${bad} cell${bad === 1 ? "" : "s"} not a number, read as NaN (${
          examples(scan.badExamples[k])
        }${bad > EXAMPLES ? ", ..." : ""})`,
        column: name,
        count: bad,
        line: scan.badLine[k],
      });
    }
    const over = scan.overflowCount[k];
    if (over > 0) {
      notes.push({
        kind: "number-overflow",
        message: `column "${name}": ${over} value${over === 1 ? "" : "s"} beyond the double ` +
          `range read as NaN, not ±Infinity (first ${
            JSON.stringify(scan.overflowValue[k])
          } at line ${scan.overflowLine[k]})`,
        column: name,
        count: over,
        line: scan.overflowLine[k],
      });
    }
    keep.push(k);
  }
  return keep;
}

const pct = (f: number) => `${(100 * f).toFixed(1)}%`;

function examples(list: { line: number; value: string }[]): string {
  return list.map((x) => `${JSON.stringify(x.value)} at line ${x.line}`).join(", ");
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
