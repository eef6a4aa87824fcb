import assert from "node:assert/strict";
import { CsvScanner, detectDelimiter } from "../../../core/source/csv_scanner.ts";
import { DataError } from "../../../core/errors.ts";

function records(text: string, delim = ","): { line: number; fields: string[] }[] {
  const sc = new CsvScanner(text, delim.charCodeAt(0), "in.csv");
  const out = [];
  while (sc.next()) out.push({ line: sc.line, fields: sc.record() });
  return out;
}

Deno.test("CsvScanner.next() splits quoted fields with delimiters, newlines, escaped quotes and trailing spaces", () => {
  const got = records('a,"b,c","say ""hi""\nnow"\r\n1,,"" \n');
  assert.deepEqual(got.map((r) => r.fields), [["a", "b,c", 'say "hi"\nnow'], ["1", "", ""]]);
});

Deno.test("CsvScanner.next() reports the starting line of each record across mixed newlines", () => {
  const got = records('h1,h2\r\n1,"x\r\ny"\n2,z\r3,w\n\n\n4,v');
  assert.deepEqual(got.map((r) => r.line), [1, 2, 4, 5, 8]);
  assert.deepEqual(got.map((r) => r.fields[0]), ["h1", "1", "2", "3", "4"]);
});

Deno.test("CsvScanner.next() skips a BOM and counts blank lines between records only", () => {
  const sc = new CsvScanner("\uFEFFa;b\n\n1;2\n\n", 59);
  const rows = [];
  while (sc.next()) rows.push(sc.record());
  assert.deepEqual(rows, [["a", "b"], ["1", "2"]]);
  assert.equal(sc.blankLines, 1);
});

Deno.test("CsvScanner.next() keeps a trailing delimiter as an empty last field", () => {
  assert.deepEqual(records("a,b,\n1,2,\n").map((r) => r.fields), [["a", "b", ""], ["1", "2", ""]]);
});

Deno.test("CsvScanner.next() treats a quote inside an unquoted field as text", () => {
  assert.deepEqual(records('5" pipe,2\n')[0].fields, ['5" pipe', "2"]);
});

Deno.test("CsvScanner.next() throws csv-quote with the line of an unclosed quote", () => {
  assert.throws(() => records('a,b\n1,2\n3,"open\n4,5\n'), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.code, "csv-quote");
    assert.equal(e.position.line, 3);
    assert.equal(e.position.file, "in.csv");
    return true;
  });
});

Deno.test("CsvScanner.next() throws csv-quote on text after a closing quote", () => {
  assert.throws(() => records('a,b\n"1"x,2\n'), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.code, "csv-quote");
    assert.equal(e.position.line, 2);
    return true;
  });
});

Deno.test("CsvScanner.next() grows past 64 fields", () => {
  const row = Array.from({ length: 200 }, (_, i) => String(i)).join(",");
  const got = records(row + "\n" + row);
  assert.equal(got[1].fields.length, 200);
  assert.equal(got[1].fields[199], "199");
});

Deno.test("detectDelimiter() picks the most frequent delimiter of the header line outside quotes", () => {
  assert.equal(detectDelimiter("a,b,c\n1;2;3;4;5"), 44);
  assert.equal(detectDelimiter("a,b;c\n1,2\n3,4"), 44);
  assert.equal(detectDelimiter("datetime;A;B\r\n"), 59);
  assert.equal(detectDelimiter('"a,b";"c,d";e\n'), 59);
  assert.equal(detectDelimiter("a\tb\tc\n"), 9);
  assert.equal(detectDelimiter("\uFEFFsingle\n"), 44);
});

Deno.test("detectDelimiter() prefers a delimiter that is consistent over the first lines", () => {
  assert.equal(detectDelimiter("ts\tflow;rate\n2020-01-01\t1.5\n2020-01-02\t2\n"), 9);
  assert.equal(detectDelimiter('ts;"a\nb";c,d\n1;2;3\n'), 59);
});
