import assert from "node:assert/strict";
import { CsvWriter } from "../../../core/io/csv_writer.ts";

Deno.test("CsvWriter builds CSV bytes field by field and grows past its first capacity", () => {
  const w = new CsvWriter(8);
  w.text("timestamp,größe\n");
  for (let i = 0; i < 1000; i++) {
    w.timestamp(Date.UTC(2024, 0, 1) + i * 60_000);
    w.comma();
    w.number(i / 8);
    w.comma();
    w.int(i % 2);
    w.comma();
    w.number(NaN);
    w.comma();
    w.field('say "hi", twice');
    w.newline();
  }
  const lines = w.toString().split("\n");
  assert.equal(lines[0], "timestamp,größe");
  assert.equal(lines[2], '2024-01-01T00:01:00,0.125,1,,"say ""hi"", twice"');
  assert.equal(lines.length, 1002);
  assert.equal(w.length, w.bytes().length);
});

Deno.test("CsvWriter.raw() copies bytes as they are, short and long, growing the buffer", () => {
  const w = new CsvWriter(8);
  const enc = new TextEncoder();
  w.raw(enc.encode("ab"));
  w.comma();
  w.raw(enc.encode('"x, y"'));
  w.comma();
  const long = "é".repeat(40);
  w.raw(enc.encode(long));
  w.newline();
  assert.equal(w.toString(), `ab,"x, y",${long}\n`);
});

Deno.test("CsvWriter.significantPairs() writes what comma() and significant() write, field by field", () => {
  const rows = 50, cols = 7;
  const a = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 10 ** ((i % 9) - 4));
  const b = Float64Array.from(
    { length: rows * cols },
    (_, i) => (i % 11 === 0 ? NaN : -Math.cos(i) / 3),
  );
  for (const digits of [0, 3, 7, 12]) {
    const pairs = new CsvWriter(8), fields = new CsvWriter(8);
    for (let i = 0; i < rows; i++) {
      pairs.significantPairs(a, b, i, rows, cols, digits);
      pairs.newline();
      for (let j = 0; j < cols; j++) {
        fields.comma();
        fields.significant(a[j * rows + i], digits);
        fields.comma();
        fields.significant(b[j * rows + i], digits);
      }
      fields.newline();
    }
    assert.equal(pairs.toString(), fields.toString());
  }
});
