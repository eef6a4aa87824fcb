import assert from "node:assert/strict";
import {
  constantColumns,
  mergeScalerStats,
  scalerStats,
  scalerStd,
} from "../../../core/numeric/scaler.ts";
import { createRng } from "./_golden_a.ts";

Deno.test("mergeScalerStats() of two halves equals scalerStats() of the whole (Chan et al.)", () => {
  const rng = createRng(11);
  const n = 1000, d = 3;
  const whole = new Float64Array(n * d).map(() => 1e4 + rng.normal() * 3);
  whole[17] = NaN;
  const cut = 377;
  const part = (lo: number, hi: number) => {
    const out = new Float64Array((hi - lo) * d);
    for (let j = 0; j < d; j++) out.set(whole.subarray(j * n + lo, j * n + hi), j * (hi - lo));
    return out;
  };
  const merged = mergeScalerStats(
    scalerStats(part(0, cut), cut, d),
    scalerStats(part(cut, n), n - cut, d),
  );
  const full = scalerStats(whole, n, d);
  for (let j = 0; j < d; j++) {
    assert.equal(merged.count[j], full.count[j]);
    assert.ok(Math.abs(merged.mean[j] - full.mean[j]) < 1e-10);
    assert.ok(Math.abs(merged.m2[j] - full.m2[j]) < 1e-8 * full.m2[j]);
  }
  assert.equal(full.count[0], n - 1);
});

Deno.test("scalerStd() uses divisor count − ddof and gives NaN without enough values", () => {
  const s = scalerStats(new Float64Array([1, 2, 3, 4, NaN, NaN, NaN, 5]), 4, 2);
  assert.ok(Math.abs(scalerStd(s, 0)[0] - Math.sqrt(1.25)) < 1e-15);
  assert.ok(Math.abs(scalerStd(s, 1)[0] - Math.sqrt(5 / 3)) < 1e-15);
  assert.ok(Number.isNaN(scalerStd(s, 1)[1]));
});

Deno.test("mergeScalerStats() with an empty side keeps the other side", () => {
  const a = scalerStats(new Float64Array([1, 2, 3]), 3, 1);
  const e = scalerStats(new Float64Array([NaN]), 1, 1);
  const m = mergeScalerStats(e, a);
  assert.equal(m.mean[0], 2);
  assert.equal(m.count[0], 3);
});

Deno.test("constantColumns() flags zero-spread and empty columns relative to the mean", () => {
  const flags = constantColumns(
    new Float64Array([1e6, 0, 5, NaN]),
    new Float64Array([1e-4, 1e-10, 0.1, NaN]),
  );
  assert.deepEqual(Array.from(flags), [1, 1, 0, 1]);
});

Deno.test("scalerStats() with fill counts non-finite values as the column's fill value", () => {
  const s = scalerStats(
    new Float64Array([1, NaN, 3, NaN, NaN, Infinity]),
    3,
    2,
    new Float64Array([2, NaN]),
  );
  assert.deepEqual([...s.count], [3, 0]);
  assert.equal(s.mean[0], 2);
  assert.ok(Math.abs(s.m2[0] - 2) < 1e-15);
  assert.ok(Number.isNaN(s.mean[1]), "NaN fill leaves an empty column empty");
});
