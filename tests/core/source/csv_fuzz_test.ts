/**
 * Seeded fuzz of the CSV reader: random tables with known content are written by a small
 * reference serializer (random quoting, embedded delimiters/quotes/newlines, CRLF/LF mixed,
 * BOM, blank lines, empty and NaN cells, four timestamp formats, shuffled and duplicated rows),
 * read back, and compared with the truth. The tokenizer is also compared with papaparse.
 */
import assert from "node:assert/strict";
import Papa from "papaparse";
import { createRng, type Rng } from "../../../core/rng.ts";
import { readCsvText } from "../../../core/source/csv_reader.ts";
import { CsvScanner } from "../../../core/source/csv_scanner.ts";
import { DataError } from "../../../core/errors.ts";

const TS_NAMES = ["timestamp", "Time", "DATETIME", "date", "ts"];
const NAME_PIECES = ["flow", "temp", "a,b", "x;y", 'say "hi"', "two\nlines", "tab\there", "ü°C"];

interface Table {
  header: string[];
  tsCol: number;
  sensors: string[];
  /** Per data row: timestamp ms and the text of every field (in header order). */
  rows: { ms: number; fields: string[]; values: number[] }[];
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Formats `ms` in one of the accepted formats (month-first ones only at whole seconds). */
function formatTs(rng: Rng, ms: number): string {
  const d = new Date(ms);
  const [y, mo, da] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const [h, mi, s, f] = [
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ];
  switch (f === 0 ? rng.int(4) : rng.int(2)) {
    case 0:
      return `${y}-${pad(mo)}-${pad(da)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(f, 3)}`;
    case 1:
      return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}${f ? "." + pad(f, 3) : ""}`;
    case 2:
      return `${mo}/${da}/${y} ${h}:${pad(mi)}:${pad(s)}`;
    default:
      return `${pad(mo)}-${pad(da)}-${y} ${pad(h)}:${pad(mi)}:${pad(s)}`;
  }
}

/** A value cell: text plus the number the reader must produce (NaN for missing). */
function cell(rng: Rng): [string, number] {
  if (rng.next() < 0.12) return [pick(rng, ["", "NaN", "nan", " ", "NAN"]), NaN];
  const v = (rng.next() - 0.5) * 10 ** (rng.int(12) - 4);
  const text = pick(rng, [
    () => String(v),
    () => v.toFixed(rng.int(7)),
    () => v.toExponential(rng.int(8)),
    () => String(Math.round(v)),
  ])();
  return [text, Number(text)];
}

function makeTable(rng: Rng): Table {
  const nSensors = 1 + rng.int(5);
  const tsCol = rng.int(nSensors + 1);
  const sensors = Array.from({ length: nSensors }, (_, j) => `s${j}_${pick(rng, NAME_PIECES)}`);
  const header = [...sensors];
  header.splice(tsCol, 0, pick(rng, TS_NAMES));
  const nRows = 1 + rng.int(40);
  let ms = Date.UTC(1995 + rng.int(40), rng.int(12), 1 + rng.int(28), rng.int(24), rng.int(60));
  const withMs = rng.next() < 0.3;
  const rows: Table["rows"] = [];
  for (let r = 0; r < nRows; r++) {
    ms += 1000 * (1 + rng.int(4000)) + (withMs ? rng.int(1000) : 0);
    ms -= withMs ? 0 : ms % 1000;
    const fields: string[] = [];
    const values: number[] = [];
    for (let j = 0; j < nSensors; j++) {
      const [text, v] = cell(rng);
      fields.push(text);
      values.push(v);
    }
    fields.splice(tsCol, 0, formatTs(rng, ms));
    rows.push({ ms, fields, values });
  }
  return { header, tsCol, sensors, rows };
}

interface Written {
  text: string;
  /** 1-based line on which each data record starts. */
  lines: number[];
}

/** Reference serializer: quotes when needed or at random, mixes newlines, adds BOM/blank lines. */
function serialize(rng: Rng, t: Table, delim: string, newline: "\n" | "\r\n" | "mixed"): Written {
  const quote = (f: string) => {
    const must = f.includes(delim) || f.includes('"') || f.includes("\n") || f.includes("\r") ||
      f.trim() !== f;
    return must || rng.next() < 0.25 ? `"${f.replaceAll('"', '""')}"` : f;
  };
  const nl = () => newline === "mixed" ? pick(rng, ["\n", "\r\n"]) : newline;
  let text = rng.next() < 0.3 ? "\uFEFF" : "";
  const lines: number[] = [];
  let line = 1;
  const emit = (fields: string[]) => {
    const rec = fields.map(quote).join(delim);
    text += rec;
    line += (rec.match(/\r\n|\n|\r/g) ?? []).length;
  };
  emit(t.header);
  t.rows.forEach((row) => {
    text += nl();
    line++;
    if (newline === "mixed" && rng.next() < 0.05) {
      text += nl();
      line++;
    }
    lines.push(line);
    emit(row.fields);
  });
  if (rng.next() < 0.6) text += nl();
  return { text, lines };
}

/** The frame the reader must produce: sorted, last duplicate kept, empty columns dropped. */
function expected(t: Table): { columns: string[]; ms: number[]; values: number[][] } {
  const byTime = new Map<number, number[]>();
  for (const row of t.rows) byTime.set(row.ms, row.values);
  const ms = [...byTime.keys()].sort((a, b) => a - b);
  const kept = t.sensors.map((_, j) => j).filter((j) => t.rows.some((r) => !isNaN(r.values[j])));
  return {
    columns: kept.map((j) => t.sensors[j]),
    ms,
    values: kept.map((j) => ms.map((m) => byTime.get(m)![j])),
  };
}

function shuffleWithDuplicates(rng: Rng, t: Table): void {
  const extra = rng.int(4);
  for (let k = 0; k < extra; k++) {
    const src = t.rows[rng.int(t.rows.length)];
    const fields = [...src.fields];
    const values = src.values.map(() => rng.int(1000));
    let v = 0;
    for (let j = 0; j < fields.length; j++) if (j !== t.tsCol) fields[j] = String(values[v++]);
    t.rows.push({ ms: src.ms, fields, values });
  }
  for (let i = t.rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [t.rows[i], t.rows[j]] = [t.rows[j], t.rows[i]];
  }
}

Deno.test("readCsvText() reads 400 seeded random CSVs back to their known content", () => {
  const rng = createRng(20240601);
  for (let c = 0; c < 400; c++) {
    const t = makeTable(rng);
    if (rng.next() < 0.3) shuffleWithDuplicates(rng, t);
    const delim = pick(rng, [",", ";", "\t"]);
    const { text } = serialize(rng, t, delim, "mixed");
    const forced = rng.next() < 0.5;
    const want = expected(t);
    const label = `case ${c}: ${JSON.stringify(text.slice(0, 300))}`;
    const run = () =>
      readCsvText(text, forced ? { delimiter: delim as "," | ";" | "\t" } : {}, "fuzz.csv");
    if (want.columns.length === 0) {
      assert.throws(run, (e: unknown) => e instanceof DataError && e.code === "csv-no-sensors");
      continue;
    }
    const got = run();
    assert.deepEqual(got.frame.columns, want.columns, label);
    assert.deepEqual([...got.frame.timestamps], want.ms, label);
    want.values.forEach((col, j) => {
      const have = got.frame.values.subarray(j * got.frame.rows, (j + 1) * got.frame.rows);
      col.forEach((v, r) => assert.ok(Object.is(have[r], v), `${label} col ${j} row ${r}`));
    });
    assert.equal(got.records, t.rows.length, label);
    assert.equal(got.records - got.duplicates, want.ms.length, label);
  }
});

Deno.test("readCsvText() names the physical line of a corrupted timestamp in random CSVs", () => {
  const rng = createRng(77);
  for (let c = 0; c < 150; c++) {
    const t = makeTable(rng);
    const bad = rng.int(t.rows.length);
    const row = t.rows[bad];
    for (let j = 0; j < row.fields.length; j++) if (j !== t.tsCol) row.fields[j] = String(j + 0.5);
    row.fields[t.tsCol] = pick(rng, ["13/01/2020 00:00", "2020-02-30", "soon", "12:00"]);
    const { text, lines } = serialize(rng, t, pick(rng, [",", ";"]), "mixed");
    assert.throws(() => readCsvText(text, {}, "fuzz.csv"), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.equal(e.code, "csv-timestamp", e.message);
      assert.equal(e.position.line, lines[bad], `case ${c}: ${JSON.stringify(text)}`);
      assert.equal(e.position.value, row.fields[t.tsCol]);
      return true;
    });
  }
});

Deno.test("CsvScanner tokenizes 300 random CSVs exactly like papaparse", () => {
  const rng = createRng(5);
  for (let c = 0; c < 300; c++) {
    const t = makeTable(rng);
    const delim = pick(rng, [",", ";", "\t"]);
    const newline = pick(rng, ["\n", "\r\n"] as const);
    const text = serialize(rng, t, delim, newline).text.replace(/^\uFEFF/, "");
    const sc = new CsvScanner(text, delim.charCodeAt(0));
    const ours: string[][] = [];
    while (sc.next()) ours.push(sc.record());
    const theirs = Papa.parse<string[]>(text, { delimiter: delim, newline, skipEmptyLines: true });
    assert.deepEqual(theirs.errors, [], `case ${c}`);
    assert.deepEqual(ours, theirs.data, `case ${c}: ${JSON.stringify(text.slice(0, 300))}`);
  }
});
