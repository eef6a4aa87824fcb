import assert from "node:assert/strict";
import { type CsvReadOptions, readCsvFile, readCsvText } from "../../../core/source/csv_reader.ts";
import { DataError, type ErrorCode } from "../../../core/errors.ts";
import { column } from "../../../core/frame.ts";

const FIXTURES = new URL("../../fixtures/csv/", import.meta.url);

function throwsData(fn: () => unknown, code: ErrorCode, line?: number, text?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.code, code);
    if (line !== undefined) assert.equal(e.position.line, line);
    if (text) assert.match(e.message, text);
    return true;
  });
}

const read = (text: string, options: CsvReadOptions = {}) => readCsvText(text, options, "t.csv");

Deno.test("readCsvText() reads a plain file into a column-major frame in file column order", () => {
  const t = read("ts,b,a\n2020-01-01 00:00,1,10\n2020-01-01 00:01,2,NaN\n2020-01-01 00:02,,30\n");
  assert.deepEqual(t.frame.columns, ["b", "a"]);
  assert.deepEqual([...t.frame.values], [1, 2, NaN, 10, NaN, 30]);
  assert.deepEqual([...t.frame.timestamps], [0, 1, 2].map((m) => Date.UTC(2020, 0, 1, 0, m)));
  assert.equal(t.timestampColumn, "ts");
  assert.deepEqual(t.notes, []);
});

Deno.test("readCsvText() picks the timestamp column by name in priority order, any case", () => {
  const t = read("Value,DATE,Time\n1,2020-01-01,2020-01-01 10:00\n2,2020-01-02,2020-01-01 11:00\n");
  assert.equal(t.timestampColumn, "Time");
  assert.deepEqual(t.frame.columns, ["Value"]);
  assert.equal(t.notes[0].kind, "column-dropped");
});

Deno.test("readCsvText() finds an unnamed timestamp column by its content", () => {
  const t = read("id,when,v\nA1,6/1/2019 0:00,1\nA2,6/1/2019 1:00,2\n");
  assert.equal(t.timestampColumn, "when");
  assert.deepEqual(t.frame.columns, ["v"]);
});

Deno.test("readCsvText() honours an explicit timestamp_column and refuses an unknown one", () => {
  const text = "a,b,c\n1,2020-01-01,3\n2,2020-01-02,4\n";
  assert.equal(read(text, { timestamp_column: "B" }).timestampColumn, "b");
  throwsData(() => read(text, { timestamp_column: "when" }), "csv-no-timestamp-column", 1);
  throwsData(() => read("a,b\n1,2\n"), "csv-no-timestamp-column", 1);
});

Deno.test("readCsvText() skips descriptive rows under the header and keeps the units", async () => {
  const t = await readCsvFile(new URL("descriptive_mixed_dates.csv", FIXTURES).pathname);
  assert.equal(t.timestampColumn, "Point Name");
  assert.equal(t.descriptiveRows.length, 2);
  assert.deepEqual(t.descriptiveRows.map((r) => r.line), [2, 3]);
  assert.deepEqual(t.units, { "PUMP.FLOW": "m3/h", "PUMP.TEMP": "C" });
  const note = t.notes.find((n) => n.kind === "descriptive-rows")!;
  assert.match(note.message, /skipped 2 descriptive rows under the header \(lines 2–3/);
  assert.equal(t.records, 6);
  assert.equal(t.frame.rows, 5);
  assert.equal(t.duplicates, 1);
  // Month-first formats mixed in one file: 23:30 on 6/12 is followed 30 min later by 6/13 0:00.
  assert.equal(t.frame.timestamps[2] - t.frame.timestamps[1], 30 * 60_000);
  assert.equal(t.frame.timestamps[2], Date.UTC(2012, 5, 13));
  // Duplicate 0:30 keeps the last occurrence (11.1).
  assert.equal(column(t.frame, 0)[3], 11.1);
});

Deno.test("readCsvText() with descriptive_rows none refuses the first descriptive row", () => {
  throwsData(
    () => read("ts,a\nUnits,C\n2020-01-01,1\n", { descriptive_rows: "none" }),
    "csv-timestamp",
    2,
    /"Units"/,
  );
});

Deno.test("readCsvText() reads the quoted semicolon fixture with BOM and mixed newlines", async () => {
  const t = await readCsvFile(new URL("quoted_semicolon.csv", FIXTURES).pathname);
  assert.equal(t.delimiter, ";");
  assert.equal(t.timestampColumn, "datetime");
  assert.deepEqual(t.frame.columns, ["Pressure", 'Valve "A" position', "anomaly"]);
  assert.deepEqual([...column(t.frame, 0)], [0.05, 0.38, 0.71]);
  // "12,5" (a decimal comma) is one bad cell of three: NaN for that row, noted with its line.
  assert.deepEqual([...column(t.frame, 1)], [1, 2, NaN]);
  const bad = t.notes.find((n) => n.kind === "non-numeric-cells")!;
  assert.equal(bad.column, 'Valve "A" position');
  assert.equal(bad.line, 2);
  assert.match(bad.message, /"12,5" at line 2/);
  const dropped = readCsvText(
    await Deno.readTextFile(new URL("quoted_semicolon.csv", FIXTURES)),
    { non_numeric: "drop_column" },
  ).notes.find((n) => n.kind === "column-dropped")!;
  assert.equal(dropped.column, 'Valve "A" position');
  assert.match(dropped.message, /"12,5" at line 2/);
  const unsorted = t.notes.find((n) => n.kind === "unsorted")!;
  assert.equal(unsorted.count, 1);
});

Deno.test("readCsvText() drops excluded columns and notes names that are absent", () => {
  const t = read("datetime;a;anomaly\n2020-01-01;1;0\n", {
    exclude_columns: ["anomaly", "changepoint"],
  });
  assert.deepEqual(t.frame.columns, ["a"]);
  assert.equal(t.notes.filter((n) => n.kind === "exclude-missing").length, 1);
  assert.equal(t.notes[0].column, "changepoint");
});

Deno.test("readCsvText() reads a bad cell as NaN with a counted, positioned note by default", () => {
  const text = "ts,a\n2020-01-01,1\n2020-01-02,Bad Input\n2020-01-03,3\n2020-01-04,#N/A\n";
  throwsData(
    () => read(text, { non_numeric: "drop_column" }),
    "csv-no-sensors",
    1,
    /"Bad Input" at line 3/,
  );
  const t = read(text);
  assert.deepEqual([...t.frame.values], [1, NaN, 3, NaN]);
  assert.equal(t.notes[0].kind, "non-numeric-cells");
  assert.equal(t.notes[0].count, 2);
  assert.equal(t.notes[0].line, 3);
  assert.match(t.notes[0].message, /"Bad Input" at line 3, "#N\/A" at line 5/);
});

Deno.test("readCsvText() drops a column only past max_non_numeric_fraction, stating the share", () => {
  const text = "ts,a,b\n2020-01-01,1,x\n2020-01-02,2,y\n2020-01-03,3,4\n2020-01-04,4,5\n";
  const kept = read(text);
  assert.deepEqual(kept.frame.columns, ["a", "b"]);
  const dropped = read(text, { max_non_numeric_fraction: 0.25 });
  assert.deepEqual(dropped.frame.columns, ["a"]);
  const note = dropped.notes.find((n) => n.kind === "column-dropped")!;
  assert.equal(note.count, 2);
  assert.match(note.message, /2 of 4 cells \(50\.0%\).*max_non_numeric_fraction 0\.25/);
});

Deno.test("readCsvText() reads 1e309 as NaN with a note, not as Infinity", () => {
  const t = read("ts,a\n2020-01-01,1\n2020-01-02,1e309\n2020-01-03,-2e999\n2020-01-04,4\n");
  assert.deepEqual([...t.frame.values], [1, NaN, NaN, 4]);
  assert.deepEqual(
    t.notes.map((n) => [n.kind, n.count, n.line]),
    [["number-overflow", 2, 3]],
  );
});

Deno.test("readCsvText() throws csv-timestamp naming line and value of a bad timestamp", () => {
  throwsData(
    () => read("ts,a\n2020-01-01,1\n2020-13-01,2\n"),
    "csv-timestamp",
    3,
    /"2020-13-01".*month 13/,
  );
  throwsData(() => read("ts,a\n2020-01-01,1\n,2\n"), "csv-timestamp", 3, /empty/);
});

Deno.test("readCsvText() throws csv-ragged for short rows and for values past the header", () => {
  throwsData(() => read("ts,a,b\n2020-01-01,1,2\n2020-01-02,1\n"), "csv-ragged", 3, /2 fields/);
  throwsData(() => read("ts,a\n2020-01-01,1,9\n"), "csv-ragged", 2);
});

Deno.test("readCsvText() tolerates extra empty trailing fields with a note", () => {
  const t = read("ts,a\n2020-01-01,1,,\n2020-01-02,2, \n2020-01-03,3\n");
  assert.equal(t.frame.rows, 3);
  const note = t.notes.find((n) => n.kind === "trailing-empty-fields")!;
  assert.equal(note.count, 2);
});

Deno.test("readCsvText() drops an all-empty column with a reason", () => {
  const t = read("ts,a,b\n2020-01-01,1,\n2020-01-02,2,NaN\n");
  assert.deepEqual(t.frame.columns, ["a"]);
  assert.match(t.notes[0].message, /dropped column "b": no values/);
});

Deno.test("readCsvText() reports duplicates, or refuses them with duplicates error", () => {
  const text = "ts,a\n2020-01-01,1\n2020-01-01,2\n2020-01-02,3\n2020-01-01,4\n";
  const t = read(text);
  assert.deepEqual([...t.frame.values], [4, 3]);
  assert.equal(t.duplicates, 2);
  assert.equal(t.records, 4);
  const dup = t.notes.find((n) => n.kind === "duplicates")!;
  assert.equal(dup.count, 2);
  assert.match(dup.message, /lines 2 and 5/);
  throwsData(() => read(text, { duplicates: "error" }), "csv-timestamp", 5, /duplicate/);
});

Deno.test("readCsvText() converts zoned timestamps to UTC with a note", () => {
  const t = read("time,a\n2020-01-01T02:00:00+02:00,1\n2020-01-01T01:00:00Z,2\n");
  assert.deepEqual([...t.frame.timestamps], [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1, 1)]);
  const note = t.notes.find((n) => n.kind === "timezone-stripped")!;
  assert.equal(note.count, 2);
});

Deno.test("readCsvText() renames empty and repeated header names and drops trailing empty ones", () => {
  const t = read("ts,a,,a,\n2020-01-01,1,2,3,\n");
  assert.deepEqual(t.frame.columns, ["a", "column_3", "a.1"]);
  assert.equal(t.notes.filter((n) => n.kind === "header-renamed").length, 2);
  assert.equal(t.notes.filter((n) => n.kind === "header-trailing-empty").length, 1);
});

Deno.test("readCsvText() refuses empty input and a header without data", () => {
  throwsData(() => read(""), "csv-empty", 1);
  throwsData(() => read("ts,a\n\n"), "csv-empty", 2);
  throwsData(() => read("ts,a\nDescription,x\n"), "csv-empty");
});

Deno.test("readCsvText() counts blank lines between rows", () => {
  const t = read("ts,a\n2020-01-01,1\n\n\n2020-01-02,2\n\n");
  assert.equal(t.frame.rows, 2);
  assert.equal(t.notes.find((n) => n.kind === "blank-lines")!.count, 2);
});

Deno.test("readCsvText() honours a forced tab delimiter", () => {
  const t = read("ts\ta,b\n2020-01-01\t1\n", { delimiter: "\t" });
  assert.deepEqual(t.frame.columns, ["a,b"]);
});
