import assert from "node:assert/strict";
import {
  addConfusion,
  confusion,
  emptyConfusion,
  outlierMetrics,
  round2,
} from "../../../core/eval/outlier_metrics.ts";

Deno.test("confusion() counts TP/FP/FN/TN with NaN as not 1", () => {
  assert.deepEqual(confusion([1, 1, 0, 0, NaN], [1, 0, 1, 0, 1]), { tp: 1, fp: 2, fn: 1, tn: 1 });
});

Deno.test("confusion() rejects series of different lengths", () => {
  assert.throws(() => confusion([1, 0], [1]), RangeError);
});

Deno.test("outlierMetrics() gives F1, FAR % and MAR % of pooled counts", () => {
  const c = addConfusion({ tp: 1, fp: 2, fn: 1, tn: 1 }, { tp: 3, fp: 0, fn: 1, tn: 3 });
  const m = outlierMetrics(c);
  assert.deepEqual([m.tp, m.fp, m.fn, m.tn], [4, 2, 2, 4]);
  assert.equal(m.f1, 4 / (4 + 2));
  assert.equal(m.farPct, (100 * 2) / 6);
  assert.equal(m.marPct, (100 * 2) / 6);
});

Deno.test("outlierMetrics() returns 0 on empty denominators", () => {
  const m = outlierMetrics(emptyConfusion());
  assert.deepEqual([m.f1, m.farPct, m.marPct], [0, 0, 0]);
  const allNormal = outlierMetrics({ tp: 0, fp: 0, fn: 0, tn: 5 });
  assert.deepEqual([allNormal.f1, allNormal.farPct, allNormal.marPct], [0, 0, 0]);
});

Deno.test("round2() rounds to 2 decimals, keeps NaN and never returns -0", () => {
  assert.equal(round2(0.78375), 0.78);
  assert.equal(round2(-3.7961), -3.8);
  assert.equal(round2(26.155), 26.16); // 26.155 is stored just above the tie
  assert.ok(Object.is(round2(-0.001), 0));
  assert.ok(Number.isNaN(round2(NaN)));
});
