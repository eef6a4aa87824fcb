import assert from "node:assert/strict";
import {
  columnMap,
  fitStandardizer,
  scatterColumns,
  selectQuantile,
  standardize,
  standardizeTransform,
} from "../../../core/numeric/standardize.ts";
import { columnMeans, covariance, ledoitWolf } from "../../../core/numeric/covariance.ts";
import { createRng } from "./_golden_a.ts";
import { quantile } from "../../../core/numeric/stats.ts";

Deno.test("fitStandardizer() drops constant and empty columns and imputes NaN with training medians", () => {
  // columns: a (varies, one NaN), b constant, c all NaN
  const v = new Float64Array([1, 2, NaN, 6, 5, 5, 5, 5, NaN, NaN, NaN, NaN]);
  const s = fitStandardizer(v, 4, 3);
  assert.deepEqual(Array.from(s.kept), [0]);
  assert.equal(s.medians[0], 2);
  const z = standardize(s, v, 4);
  assert.equal(z.length, 4);
  assert.ok(z.every(Number.isFinite));
  // imputed value (median 2) standardised
  assert.ok(Math.abs(z[2] - (2 - s.mean[0]) / s.std[0]) < 1e-14);
  assert.ok(Math.abs(z.reduce((a, b) => a + b, 0)) < 1e-12, "training mean 0");
});

Deno.test("standardize() aligns by columnMap and imputes absent columns; scatterColumns() maps back", () => {
  const s = fitStandardizer(new Float64Array([1, 2, 3, 10, 20, 40]), 3, 2);
  const map = columnMap(["a", "b"], ["b", "x"]);
  assert.deepEqual(Array.from(map), [-1, 0]);
  const z = standardize(s, new Float64Array([10, 20, 40, 7, 7, 7]), 3, map);
  assert.ok(Math.abs(z[0] - (2 - s.mean[0]) / s.std[0]) < 1e-14, "absent column a → median");
  assert.ok(Math.abs(z[3] - (10 - s.mean[1]) / s.std[1]) < 1e-14);
  const back = scatterColumns(z, 3, s.kept, map, 2);
  assert.deepEqual(Array.from(back.subarray(0, 3)), Array.from(z.subarray(3, 6)));
  assert.deepEqual(Array.from(back.subarray(3, 6)), [0, 0, 0]);
});

Deno.test("columnMedians() equals stats.median on odd, even, tied and NaN-holding columns", async () => {
  const { columnMedians } = await import("../../../core/numeric/standardize.ts");
  const { median } = await import("../../../core/numeric/stats.ts");
  const { createRng } = await import("../../../core/rng.ts");
  const rng = createRng(21);
  for (const rows of [1, 2, 7, 100, 1001]) {
    const v = new Float64Array(rows * 3).map(
      () => (rng.next() < 0.1 ? NaN : Math.round(rng.normal() * 5)),
    );
    const m = columnMedians(v, rows, 3);
    for (let j = 0; j < 3; j++) {
      const expected = median(v.subarray(j * rows, (j + 1) * rows));
      assert.ok(
        Object.is(m[j], expected) || m[j] === expected,
        `rows ${rows} col ${j}: ${m[j]} vs ${expected}`,
      );
    }
  }
  assert.ok(Number.isNaN(columnMedians(new Float64Array([NaN, NaN]), 2, 1)[0]));
});

Deno.test("standardizeTransform() read on the fly gives what the standardize() copy gives", () => {
  const rng = createRng(9);
  const rows = 600, cols = 4;
  const v = new Float64Array(rows * cols).map((
    _,
    k,
  ) => (k % 97 === 0 ? NaN : 3 * rng.normal() + k / rows));
  const s = fitStandardizer(v, rows, cols);
  // The frame being read has its columns in another order and lacks fitted column 2.
  const current = new Float64Array(rows * cols).fill(NaN);
  const order = [3, 0, 1];
  order.forEach((j, c) => current.set(v.subarray(j * rows, (j + 1) * rows), c * rows));
  const map = columnMap(["a", "b", "c", "d"], ["d", "a", "b"]);
  for (const [values, m] of [[v, undefined], [current, map]] as const) {
    const z = standardize(s, values, rows, m);
    const t = standardizeTransform(s, m);
    const d = s.kept.length;
    const close = (a: Float64Array, b: Float64Array, what: string) =>
      a.forEach((x, k) => assert.ok(Math.abs(x - b[k]) < 1e-12, `${what}[${k}]: ${x} vs ${b[k]}`));
    close(columnMeans(values, rows, d, t), columnMeans(z, rows, d), "means");
    close(covariance(values, rows, d, 1, t), covariance(z, rows, d, 1), "covariance");
    const lw = ledoitWolf(values, rows, d, t), lz = ledoitWolf(z, rows, d);
    close(lw.covariance, lz.covariance, "ledoit-wolf");
    assert.ok(Math.abs(lw.shrinkage - lz.shrinkage) < 1e-12);
  }
});

Deno.test("selectQuantile() equals stats.quantile (numpy linear) at any q, odd and even counts", () => {
  const rng = createRng(12);
  for (const n of [1, 2, 7, 50, 1001]) {
    const xs = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 4) / 2); // ties
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1]) {
      assert.equal(selectQuantile(xs.slice(), q), quantile(xs, q), `n ${n} q ${q}`);
    }
  }
  assert.ok(Number.isNaN(selectQuantile(new Float64Array(0), 0.5)));
});
