import assert from "node:assert/strict";
import {
  centredMoments,
  columnMeans,
  covariance,
  covarianceFromMoments,
  crossProducts,
  ledoitWolf,
  shrinkToIdentity,
} from "../../../core/numeric/covariance.ts";
import { assertClose, colMajor, createRng, f64, golden } from "./_golden_a.ts";

const { rows, cols } = golden.X;
const X = colMajor(golden.X.row_major, rows, cols);

Deno.test("covariance() (ddof 1) matches numpy.cov (rel. 1e-12)", () => {
  assertClose(covariance(X, rows, cols, 1), f64(golden.eigen.matrix), 1e-12, "cov");
});

Deno.test("ledoitWolf() matches sklearn.covariance.LedoitWolf: covariance, shrinkage, location (1e-12)", () => {
  const lw = ledoitWolf(X, rows, cols);
  assert.ok(Math.abs(lw.shrinkage - golden.ledoit_wolf.shrinkage) < 1e-12, `${lw.shrinkage}`);
  assertClose(lw.covariance, f64(golden.ledoit_wolf.covariance), 1e-12, "LW cov");
  assertClose(lw.means, f64(golden.ledoit_wolf.location), 1e-12, "location");
  assertClose(
    shrinkToIdentity(lw.empirical, cols, lw.shrinkage, lw.mu),
    lw.covariance,
    1e-15,
    "rebuild",
  );
});

Deno.test("ledoitWolf() gives shrinkage 0 for one column and NaN for no rows", () => {
  const one = ledoitWolf(new Float64Array([1, 2, 4, 8]), 4, 1);
  assert.equal(one.shrinkage, 0);
  assert.ok(Math.abs(one.covariance[0] - 7.1875) < 1e-12);
  assert.ok(Number.isNaN(ledoitWolf(new Float64Array(0), 0, 3).shrinkage));
});

Deno.test("covariance() returns NaN when rows ≤ ddof and columnMeans() skips NaN", () => {
  assert.ok(covariance(new Float64Array([1, 2]), 1, 2, 1).every(Number.isNaN));
  assertClose(
    columnMeans(new Float64Array([1, NaN, 3, NaN, NaN, NaN]), 3, 2),
    [2, NaN],
    0,
    "means",
  );
});

Deno.test("crossProducts() is symmetric and equals the naive sum beyond one row block", () => {
  const rng = createRng(5);
  const n = 700, d = 4;
  const a = new Float64Array(n * d).map(() => rng.normal());
  const c = crossProducts(a, n, d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[j * n + i] * a[k * n + i];
      assert.ok(Math.abs(c[j * d + k] - s) < 1e-9, `${j},${k}`);
      assert.equal(c[j * d + k], c[k * d + j]);
    }
  }
});

Deno.test("crossProducts() centres (and squares) through a transform without changing its input", () => {
  const rng = createRng(6);
  const n = 300, d = 3;
  const a = new Float64Array(n * d).map(() => 5 + rng.normal());
  const copy = a.slice();
  const center = new Float64Array([5, 4, 6]);
  const plain = crossProducts(a, n, d, false, { center });
  const squared = crossProducts(a, n, d, true, { center });
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = a[j * n + i] - center[j], y = a[k * n + i] - center[k];
        s += x * y;
        s2 += x * x * y * y;
      }
      assert.ok(Math.abs(plain[j * d + k] - s) < 1e-9, `${j},${k}`);
      assert.ok(Math.abs(squared[j * d + k] - s2) < 1e-8, `squared ${j},${k}`);
    }
  }
  assert.deepEqual(a, copy);
});

Deno.test("centred moments reused by covariance and Ledoit–Wolf give the same matrices as computing them afresh", () => {
  const rng = createRng(8);
  const n = 500, d = 5;
  const a = new Float64Array(n * d).map((_, k) => rng.normal() * (1 + (k % 3)) + (k % 7));
  const m = centredMoments(a, n, d);
  const before = m.cross.slice();
  assert.deepEqual(covarianceFromMoments(m, 1), covariance(a, n, d, 1));
  assert.deepEqual(covarianceFromMoments(m, 0), covariance(a, n, d, 0));
  const fresh = ledoitWolf(a, n, d), reused = ledoitWolf(a, n, d, undefined, m);
  assert.deepEqual(reused.covariance, fresh.covariance);
  assert.equal(reused.shrinkage, fresh.shrinkage);
  assert.deepEqual(m.cross, before, "the shared moments are never modified");
});
