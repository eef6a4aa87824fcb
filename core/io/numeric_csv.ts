/**
 * Reads a CSV this project wrote (scores.csv, expected.csv, sensors.csv: a
 * timestamp first, then numbers, a few text columns) into typed columns in one
 * pass over the text: fields are located by char codes and numbers parsed in
 * place (core/source/number.ts, bit-identical to `Number(field)`), so no
 * string is made per field. Text containing a quote or a CR takes the general
 * RFC 4180 parser (csv_text.ts) with the same result.
 */
import { parseCsv, parseNumber } from "./csv_text.ts";
import { parseNumberRange } from "../source/number.ts";

/** Columns of a numeric CSV. */
export interface NumericCsv {
  /** Epoch ms of the first column (`parseTime` of its text). */
  t: Float64Array;
  /** Header names after the first. */
  columns: string[];
  /** One array per column after the first (NaN where empty or not a number). */
  values: Float64Array[];
  /** The text of the columns asked for in `textColumns` (trimmed; "" where absent). */
  text: Record<string, string[]>;
}

function toNumber(text: string, a: number, b: number): number {
  const v = parseNumberRange(text, a, b);
  if (v === v || a === b) return v;
  // not a plain decimal ("Infinity", a space-padded "1 "): what Number() reads
  return parseNumber(text.slice(a, b));
}

/**
 * Parses `text`; `parseTime` reads the first field; blank lines are skipped; a
 * short row reads NaN (and "") in its missing fields.
 */
export function readNumericCsv(
  text: string,
  parseTime: (field: string) => number,
  textColumns: readonly string[] = [],
): NumericCsv {
  if (text.includes('"') || text.includes("\r")) return viaRows(text, parseTime, textColumns);
  const nl = text.indexOf("\n");
  const headerEnd = nl < 0 ? text.length : nl;
  const header = headerEnd > 0 ? text.slice(0, headerEnd).split(",") : [];
  const columns = header.slice(1);
  const d = columns.length;
  let n = 0;
  for (let i = headerEnd + 1; i < text.length;) {
    let e = text.indexOf("\n", i);
    if (e < 0) e = text.length;
    if (hasComma(text, i, e)) n++;
    i = e + 1;
  }
  const t = new Float64Array(n);
  const values = columns.map(() => new Float64Array(n).fill(NaN));
  const wanted = textColumns.map((c) => columns.indexOf(c));
  const texts = textColumns.map(() => new Array<string>(n).fill(""));
  let row = 0;
  for (let i = headerEnd + 1; i < text.length && row < n;) {
    let e = text.indexOf("\n", i);
    if (e < 0) e = text.length;
    if (!hasComma(text, i, e)) {
      i = e + 1;
      continue;
    }
    let a = i, j = -1;
    while (a <= e) {
      let b = a;
      while (b < e && text.charCodeAt(b) !== 44) b++;
      if (j < 0) t[row] = parseTime(text.slice(a, b));
      else if (j < d) {
        values[j][row] = toNumber(text, a, b);
        for (let w = 0; w < wanted.length; w++) {
          if (wanted[w] === j) texts[w][row] = text.slice(a, b).trim();
        }
      }
      j++;
      a = b + 1;
    }
    row++;
    i = e + 1;
  }
  return { t, columns, values, text: Object.fromEntries(textColumns.map((c, w) => [c, texts[w]])) };
}

/** Whether line [a, e) has more than one field (a blank or one-field line is skipped). */
function hasComma(text: string, a: number, e: number): boolean {
  // a bounded scan: indexOf(",") could run past e to the end of the text on every line
  for (let i = a; i < e; i++) if (text.charCodeAt(i) === 44) return true;
  return false;
}

function viaRows(
  text: string,
  parseTime: (field: string) => number,
  textColumns: readonly string[],
): NumericCsv {
  const rows = parseCsv(text).filter((r, i) => i === 0 || r.length > 1);
  const header = rows[0] ?? [];
  const n = Math.max(0, rows.length - 1);
  const t = new Float64Array(n);
  const values = header.slice(1).map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i + 1];
    t[i] = parseTime(r[0]);
    for (let j = 0; j < values.length; j++) values[j][i] = parseNumber(r[j + 1] ?? "");
  }
  const out: Record<string, string[]> = {};
  for (const c of textColumns) {
    const j = header.indexOf(c);
    out[c] = rows.slice(1).map((r) => (j > 0 ? (r[j] ?? "").trim() : ""));
  }
  return { t, columns: header.slice(1), values, text: out };
}
