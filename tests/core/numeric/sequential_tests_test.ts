import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { runTest, testLimit } from "../../../core/numeric/sequential_tests.ts";
import type { SequentialTest } from "../../../core/numeric/sequential_tests.ts";

const meanUp: SequentialTest = { kind: "mean_up", size: 1 };

Deno.test("runTest() accumulates a mean shift as Page's CUSUM and caps the statistic at cap·h", () => {
  // ℓ = e − 0.5 for a unit shift: three samples at e = 2 add 1.5 each.
  const e = Float64Array.from([2, 2, 2, 2, 2, 2]);
  const out = new Float64Array(6);
  const r = runTest(meanUp, e, 0, 3, 2, 10, out);
  deepStrictEqual([...out], [0.5, 1, 1.5, 2, 2, 2]);
  strictEqual(r.s, 6);
  strictEqual(r.max, 6);
});

Deno.test("runTest() restarts the statistic on held rows and resumes after them", () => {
  const e = Float64Array.from([2, 2, 2, 2, 2, 2]);
  const hold = Uint8Array.from([0, 0, 1, 1, 0, 0]);
  const out = new Float64Array(6);
  const r = runTest(meanUp, e, 0, 1, Infinity, 10, out, hold);
  deepStrictEqual([...out], [1.5, 3, 0, 0, 1.5, 3]);
  strictEqual(r.s, 3);
  // The held rows' evidence never reaches the maximum either: it would set the limits.
  const held = runTest(meanUp, e, 0, 1, Infinity, 10, null, Uint8Array.from([0, 1, 1, 1, 1, 1]));
  strictEqual(held.max, 1.5);
});

Deno.test("testLimit() takes the margin over the training maximum, with a floor", () => {
  strictEqual(testLimit(20, 1.2, 10), 24);
  strictEqual(testLimit(2, 1.2, 10), 10);
  strictEqual(testLimit(NaN, 1.2, 10), 10);
  ok(testLimit(Infinity, 1.2, 10) === 10);
});
