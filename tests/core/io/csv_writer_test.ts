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
