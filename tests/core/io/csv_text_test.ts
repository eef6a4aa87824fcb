import assert from "node:assert/strict";
import { csvLine, formatNumber, parseCsv, parseNumber } from "../../../core/io/csv_text.ts";

Deno.test("csvLine() quotes fields with commas, quotes and newlines only", () => {
  assert.equal(
    csvLine(["a", "b c", 'say "hi"', "x,y", "l1\nl2"]),
    'a,b c,"say ""hi""","x,y","l1\nl2"\n',
  );
});

Deno.test("parseCsv() reads back what csvLine() wrote, CRLF included", () => {
  const rows = [["timestamp", "DEMO.SIM.06T32-1_1FD Fan, Bearing"], ['q"uote', ""], ["", "end"]];
  const text = rows.map(csvLine).join("");
  assert.deepEqual(parseCsv(text), rows);
  assert.deepEqual(parseCsv("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(parseCsv("a,\n"), [["a", ""]]);
});

Deno.test("formatNumber() keeps full precision and writes NaN as empty", () => {
  for (const x of [0.1 + 0.2, 1 / 3, -1.2345678901234567e-12, 123456789.98765433, 5e-324]) {
    assert.equal(parseNumber(formatNumber(x)), x);
  }
  assert.equal(formatNumber(0.1 + 0.2), "0.30000000000000004");
  assert.equal(formatNumber(NaN), "");
  assert.equal(formatNumber(null), "");
  assert.ok(Number.isNaN(parseNumber("")));
});
