import assert from "node:assert/strict";
import {
  BAND_MARGIN,
  countOutside,
  outsideTraining,
} from "../../../core/report/outside_training.ts";

// Training band p01–p99 = 10–20 (width 10): widened, 7.5–22.5.
const ranges = { a: [10, 15, 20], b: [10, 15, 20], flat: [5, 5, 5] } as const;
const t = Float64Array.from({ length: 10 }, (_, i) => i * 60_000);

Deno.test("outsideTraining() names the sensors beyond their widened band on half or more of the span's rows", () => {
  const values = {
    // 6 of 10 above 22.5 (22.5 itself is inside): named, above.
    a: Float64Array.from([15, 23, 24, 25, 30, 22.5, 26, 15, 23, 15]),
    // 5 of 10 below 7.5: exactly half, named, below.
    b: Float64Array.from([7, 7, 7, 7, 7, 15, 15, 15, 15, 15]),
  };
  const out = outsideTraining({ t, values }, ranges, t[0], t[9]);
  assert.deepEqual(out, [{ sensor: "a", share: 0.6, side: "above" }, {
    sensor: "b",
    share: 0.5,
    side: "below",
  }]);
  assert.equal(BAND_MARGIN, 0.25);
});

Deno.test("outsideTraining() judges only the rows inside [start, end] and their finite readings", () => {
  const values = { a: Float64Array.from([30, 30, 30, 15, 15, NaN, NaN, NaN, 15, 15]) };
  // Rows 0–2: all above.
  assert.deepEqual(outsideTraining({ t, values }, ranges, t[0], t[2]), [
    { sensor: "a", share: 1, side: "above" },
  ]);
  // Rows 2–7: one of the three finite readings above: below half, not named.
  assert.deepEqual(outsideTraining({ t, values }, ranges, t[2], t[7]), []);
  // Rows 5–7: no finite reading, not judged; nor is a span with no rows.
  assert.deepEqual(outsideTraining({ t, values }, ranges, t[5], t[7]), []);
  assert.deepEqual(outsideTraining({ t, values }, ranges, 1e12, 2e12), []);
});

Deno.test("outsideTraining() skips sensors without a training range or with a zero-width one", () => {
  const values = {
    flat: Float64Array.from({ length: 10 }, () => 99),
    unknown: Float64Array.from({ length: 10 }, () => 99),
  };
  assert.deepEqual(outsideTraining({ t, values }, ranges, t[0], t[9]), []);
});

Deno.test("countOutside() counts episodes with sensors outside, and those with no culprit among them", () => {
  const x = (sensor: string) => ({ sensor, share: 1, side: "above" as const });
  const c = (sensor: string) => ({ sensor });
  assert.deepEqual(
    countOutside([
      { culprits: [c("a")], outside: [] },
      { culprits: [c("a")], outside: [x("a")] },
      { culprits: [c("a"), c("b")], outside: [x("c")] },
    ]),
    { any: 2, others: 1 },
  );
});
