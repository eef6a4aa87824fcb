import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { fillForward } from "../../../core/numeric/fill_forward.ts";

Deno.test("fillForward() carries each column's last finite value over its gaps, continuing the carry", () => {
  // Column-major 4 rows × 2 columns.
  const values = Float64Array.from([1, NaN, NaN, 4, NaN, 2, NaN, 3]);
  const { filled, last } = fillForward(values, 4, 2, [NaN, 7]);
  deepStrictEqual([...filled], [1, 1, 1, 4, 7, 2, 2, 3]);
  deepStrictEqual([...last], [4, 3]);
  // The input is not modified.
  strictEqual(Number.isNaN(values[1]), true);
});

Deno.test("fillForward() leaves a column missing until its first value, and copies nothing without gaps", () => {
  const values = Float64Array.from([NaN, NaN, 5]);
  const a = fillForward(values, 3, 1, null);
  deepStrictEqual([...a.filled].map((v) => (Number.isNaN(v) ? "NaN" : v)), ["NaN", "NaN", 5]);
  deepStrictEqual([...a.last], [5]);
  const full = Float64Array.from([1, 2, 3]);
  strictEqual(fillForward(full, 3, 1, null).filled, full);
});
