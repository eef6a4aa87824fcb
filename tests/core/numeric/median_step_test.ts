import assert from "node:assert/strict";
import { medianStep } from "../../../core/numeric/median_step.ts";

Deno.test("medianStep: the median gap, robust to one long hole and a duplicate", () => {
  // Steps 10, 10, 0, 10, 500, 10: sorted 0 10 10 10 10 500 → the upper median 10.
  assert.equal(medianStep([0, 10, 20, 20, 30, 530, 540]), 10);
});

Deno.test("medianStep: the upper median for an even count of steps", () => {
  assert.equal(medianStep(Float64Array.from([0, 1, 3, 6, 10])), 3); // steps 1 2 3 4
});

Deno.test("medianStep: NaN below two rows", () => {
  assert.ok(Number.isNaN(medianStep([])));
  assert.ok(Number.isNaN(medianStep([5])));
  assert.equal(medianStep([5, 7]), 2);
});
