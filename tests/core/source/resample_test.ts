import assert from "node:assert/strict";
import { makeFrame } from "../../../core/frame.ts";
import { resampleFrame } from "../../../core/source/resample.ts";
import { readCsvText } from "../../../core/source/csv_reader.ts";

const MIN = 60_000;

// Rows every 10 min from 00:00 to 01:40 with one hole (00:50–01:10 missing),
// one missing cell in the first bucket and one non-finite value.
const t = [0, 10, 20, 30, 40, 70, 80, 90, 100].map((m) => m * MIN);
const a = [1, 2, NaN, 4, 5, 7, 8, 9, 10];
const b = [10, 20, 30, 40, 50, 70, Infinity, 90, 100];
const frame = makeFrame({
  columns: ["a", "b"],
  values: Float64Array.from([...a, ...b]),
  timestamps: Float64Array.from(t),
});
const lines = Int32Array.from(t, (_, i) => i + 2);

Deno.test("resampleFrame: bucket means on an epoch grid, stamped at the bucket start", () => {
  const r = resampleFrame(frame, lines, 30 * MIN, "mean");
  assert.deepEqual([...r.frame.timestamps], [0, 30, 60, 90].map((m) => m * MIN));
  const n = r.frame.rows;
  // [0,30): a 1,2,(NaN) → 1.5; b 10,20,30 → 20. [30,60): a 4,5; b 40,50.
  // [60,90): a 7,8; b 70,(Inf) → 70. [90,120): a 9,10; b 90,100.
  assert.deepEqual([...r.frame.values.subarray(0, n)], [1.5, 4.5, 7.5, 9.5]);
  assert.deepEqual([...r.frame.values.subarray(n)], [20, 45, 70, 95]);
  assert.deepEqual([...r.lines], [2, 5, 7, 9]);
  assert.equal(r.note?.kind, "resampled");
  assert.equal(r.note?.count, 5);
  assert.match(r.note!.message, /resampled 9 rows to 4 on a 1800 s grid/);
});

Deno.test("resampleFrame: last takes the bucket's last finite reading; a bucket of NaN stays NaN", () => {
  const f = makeFrame({
    columns: ["x"],
    values: Float64Array.from([1, 2, NaN, NaN]),
    timestamps: Float64Array.from([0, 5, 30, 35].map((m) => m * MIN)),
  });
  const r = resampleFrame(f, Int32Array.from([2, 3, 4, 5]), 30 * MIN, "last");
  assert.equal(r.frame.rows, 2);
  assert.equal(r.frame.values[0], 2);
  assert.ok(Number.isNaN(r.frame.values[1]));
});

Deno.test("resampleFrame: rows already on the grid, one per bucket, come back unchanged without a note", () => {
  const r = resampleFrame(frame, lines, 10 * MIN, "mean");
  assert.equal(r.frame, frame);
  assert.equal(r.note, null);
  // Off-grid rows are snapped (and noted) even when no two share a bucket.
  const shifted = makeFrame({
    columns: ["x"],
    values: Float64Array.from([1, 2]),
    timestamps: Float64Array.from([MIN, 11 * MIN]),
  });
  const s = resampleFrame(shifted, Int32Array.from([2, 3]), 10 * MIN, "mean");
  assert.deepEqual([...s.frame.timestamps], [0, 10 * MIN]);
  assert.equal(s.note?.count, 0);
});

Deno.test("readCsvText: resample_s resamples the file's rows and notes it", () => {
  const text = "timestamp,x\n" +
    "2024-01-01 00:00,1\n2024-01-01 00:10,2\n2024-01-01 00:20,3\n2024-01-01 00:30,10\n";
  const table = readCsvText(text, { resample_s: 1800 });
  assert.equal(table.frame.rows, 2);
  assert.deepEqual([...table.frame.values], [2, 10]);
  assert.deepEqual([...table.lines], [2, 5]);
  assert.ok(table.notes.some((n) => n.kind === "resampled"));
  const last = readCsvText(text, { resample_s: 1800, resample_method: "last" });
  assert.deepEqual([...last.frame.values], [3, 10]);
  assert.equal(readCsvText(text).frame.rows, 4);
});
