import assert from "node:assert/strict";
import {
  cleanHeader,
  columnByName,
  countDescriptiveRows,
  timestampColumnByContent,
  timestampColumnByName,
} from "../../../core/source/csv_layout.ts";
import { timestampState } from "../../../core/source/timestamp.ts";
import type { DataNote } from "../../../core/plugin.ts";

const rows = (...r: string[][]) => r.map((fields, i) => ({ line: i + 2, fields }));

Deno.test("cleanHeader() trims, names empty fields and suffixes repeats", () => {
  const notes: DataNote[] = [];
  assert.deepEqual(cleanHeader([" ts ", "a", "", "a", "a", "", ""], notes), [
    "ts",
    "a",
    "column_3",
    "a.1",
    "a.2",
  ]);
  assert.equal(notes.length, 4);
});

Deno.test("columnByName() prefers an exact match, then ignores case", () => {
  assert.equal(columnByName(["TS", "ts"], "ts"), 1);
  assert.equal(columnByName(["Ts", "x"], "TS"), 0);
  assert.equal(columnByName(["a"], "b"), -1);
});

Deno.test("timestampColumnByName() follows the name priority, not the column order", () => {
  assert.equal(timestampColumnByName(["ts", "date", "x"]), 1);
  assert.equal(timestampColumnByName(["Point Name", "v"]), -1);
});

Deno.test("timestampColumnByContent() needs the first non-empty values of a column to parse", () => {
  const st = timestampState();
  const r = rows(["a", "", "1"], ["b", "2020-01-01", "2"], ["c", "2020-01-02", "3"]);
  assert.equal(timestampColumnByContent(3, r, st), 1);
  const bad = rows(["a", "2020-01-01", "1"], ["b", "soon", "2"]);
  assert.equal(timestampColumnByContent(3, bad, st), -1);
});

Deno.test("countDescriptiveRows() stops at the first row with a timestamp or numeric cells", () => {
  const st = timestampState();
  const r = rows(
    ["Description", "MOTOR CURRENT", "TEMP"],
    ["Extended Name", "", ""],
    ["Units", "A", "C"],
    ["01/01/2018 00:00", "466.5", "61.9"],
    ["Units", "A", "C"],
  );
  assert.equal(countDescriptiveRows(r, -1, st), 3);
  assert.equal(countDescriptiveRows(r, 0, st), 3);
  assert.equal(countDescriptiveRows(rows(["bad", "1", "2"]), 0, st), 0);
  assert.equal(countDescriptiveRows(rows(["", "", ""], ["Units", "A", "C"]), 0, st), 0);
});
