import assert from "node:assert/strict";
import { lowerBound } from "../../../core/numeric/lower_bound.ts";

Deno.test("lowerBound() is the first index at or above x, with ties and the ends", () => {
  const xs = Float64Array.from([1, 3, 3, 3, 7]);
  assert.deepEqual([0, 1, 3, 4, 7, 8].map((x) => lowerBound(xs, x)), [0, 0, 1, 4, 4, 5]);
  assert.equal(lowerBound([], 1), 0);
});
