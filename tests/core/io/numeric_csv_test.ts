import assert from "node:assert/strict";
import { readNumericCsv } from "../../../core/io/numeric_csv.ts";
import { parseCsv, parseNumber } from "../../../core/io/csv_text.ts";
import { CsvWriter } from "../../../core/io/csv_writer.ts";
import { createRng } from "../../../core/rng.ts";

const iso = (s: string) => Date.parse(`${s}Z`);

/** The general parser's reading (what the report did before): rows of strings, Number() per field. */
function reference(text: string, textColumns: string[]) {
  const rows = parseCsv(text).filter((r, i) => i === 0 || r.length > 1);
  const header = rows[0] ?? [];
  const body = rows.slice(1);
  return {
    t: body.map((r) => iso(r[0])),
    columns: header.slice(1),
    values: header.slice(1).map((_, j) => body.map((r) => parseNumber(r[j + 1] ?? ""))),
    text: Object.fromEntries(textColumns.map((c) => {
      const j = header.indexOf(c);
      return [c, body.map((r) => (j > 0 ? (r[j] ?? "").trim() : ""))];
    })),
  };
}

function same(text: string, textColumns: string[] = []) {
  const got = readNumericCsv(text, iso, textColumns);
  const want = reference(text, textColumns);
  assert.deepEqual([...got.t], want.t);
  assert.deepEqual(got.columns, want.columns);
  assert.equal(got.values.length, want.values.length);
  got.values.forEach((v, j) => {
    for (let i = 0; i < v.length; i++) {
      if (!Object.is(v[i], want.values[j][i])) {
        assert.fail(`column ${j} row ${i}: ${v[i]} vs ${want.values[j][i]}`);
      }
    }
  });
  assert.deepEqual(got.text, want.text);
}

Deno.test("readNumericCsv() reads what CsvWriter wrote bit for bit, as the general parser does", () => {
  const rng = createRng(3);
  const w = new CsvWriter();
  w.text("timestamp,a_z,b,signature\n");
  for (let i = 0; i < 5_000; i++) {
    w.timestamp(1_700_000_000_000 + i * 60_000);
    w.comma();
    w.number(i % 97 === 0 ? NaN : (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 20 - 8));
    w.comma();
    w.number(Math.round(rng.next() * 1e4) / 100);
    w.comma();
    if (i % 3 === 0) w.text("mean_up");
    w.newline();
  }
  same(w.toString(), ["signature", "missing"]);
});

Deno.test("readNumericCsv() keeps the general reading on blank lines, short rows, spaces, Infinity, quotes and CRLF", () => {
  same("timestamp,x,y\n2024-01-01T00:00:00,1,2\n\n2024-01-01T00:01:00,3\n");
  same("timestamp,x,y\n2024-01-01T00:00:00, 1 ,Infinity\n2024-01-01T00:01:00, ,-Infinity\n");
  same("timestamp,x,y\n2024-01-01T00:00:00,abc,0x10\n2024-01-01T00:01:00,1e400,-0\n");
  same('timestamp,x,name\n2024-01-01T00:00:00,1,"a,b"\n2024-01-01T00:01:00,2,c\n', ["name"]);
  same("timestamp,x\r\n2024-01-01T00:00:00,1\r\n2024-01-01T00:01:00,2\r\n");
  same("timestamp,x\n2024-01-01T00:00:00,1,9,9\nlonely\n2024-01-01T00:02:00,2");
  same("");
  same("timestamp\n");
});

Deno.test("readNumericCsv() skips 200,000 one-field lines in linear time", () => {
  const text = "timestamp,x\n" + "2024-01-01T00:00:00\n".repeat(200_000) +
    "2024-01-02T00:00:00,1\n";
  const t0 = performance.now();
  const r = readNumericCsv(text, iso);
  assert.equal(r.t.length, 1);
  assert.equal(r.values[0][0], 1);
  assert.ok(performance.now() - t0 < 5_000, "quadratic scan");
});
