import assert from "node:assert/strict";
import { culpritDeviation } from "../../../core/report/deviation.ts";

const t = Float64Array.from({ length: 10 }, (_, i) => i * 1000);
const expected = {
  t,
  expected: { a: Float64Array.from({ length: 10 }, () => 50), z: new Float64Array(10) },
  residual: {
    a: Float64Array.from([0, 0, 3, 5, NaN, 4, 100, 0, 0, 0]),
    z: Float64Array.from({ length: 10 }, () => 1),
  },
};

Deno.test("culpritDeviation() is the median residual over the span and its share of the median expected value", () => {
  // Rows 2–6 (t 2000–6000): residuals 3, 5, NaN (skipped), 4, 100 → median 4.5.
  assert.deepEqual(culpritDeviation(expected, "a", 2000, 6000), {
    residual: 4.5,
    relative: 0.09,
    rows: 4,
  });
  // A lone row, and a span between rows.
  assert.equal(culpritDeviation(expected, "a", 3000, 3000)!.residual, 5);
  assert.equal(culpritDeviation(expected, "a", 3500, 3900), null);
  // Expected median 0: no relative figure; an unknown sensor: null.
  assert.ok(Number.isNaN(culpritDeviation(expected, "z", 0, 9000)!.relative));
  assert.equal(culpritDeviation(expected, "b", 0, 9000), null);
});
