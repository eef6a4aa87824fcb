import assert from "node:assert/strict";
import {
  aggregateRows,
  ar1Params,
  ar1Scores,
  ar1Stats,
  ar1Z,
  mergeAr1Stats,
  shareContributions,
} from "../../../core/numeric/ar1.ts";
import { createRng } from "./_golden_a.ts";

function ar1Series(n: number, phi: number, mu: number, sigma: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    prev = phi * prev + sigma * rng.normal();
    x[i] = mu + prev;
  }
  return x;
}

Deno.test("ar1Params() follows the V8 formulas (μ, lag-1 φ on centred values, σ of residuals)", () => {
  const x = ar1Series(500, 0.7, 1000, 2, 1);
  const p = ar1Params(ar1Stats(x, 500, 1));
  // direct V8-style computation
  let mu = 0;
  x.forEach((v) => (mu += v));
  mu /= 500;
  let num = 0, den = 0;
  for (let t = 1; t < 500; t++) {
    num += (x[t] - mu) * (x[t - 1] - mu);
    den += (x[t - 1] - mu) ** 2;
  }
  const phi = num / den;
  const r = Array.from({ length: 499 }, (_, t) => x[t + 1] - mu - phi * (x[t] - mu));
  const rm = r.reduce((a, b) => a + b, 0) / 499;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - rm) ** 2, 0) / 499);
  assert.ok(Math.abs(p.mu[0] - mu) < 1e-9);
  assert.ok(Math.abs(p.phi[0] - phi) < 1e-9);
  assert.ok(Math.abs(p.sigma[0] - sd) < 1e-9);
  assert.ok(Math.abs(p.phi[0] - 0.7) < 0.1);
});

Deno.test("ar1Params() caps φ, flags constant columns, and treats < 3 values as φ = 0", () => {
  const ramp = Float64Array.from({ length: 100 }, (_, i) => i);
  assert.ok(ar1Params(ar1Stats(ramp, 100, 1), 0.9).phi[0] <= 0.9);
  const flat = ar1Params(ar1Stats(new Float64Array(10).fill(3), 10, 1));
  assert.equal(flat.constant[0], 1);
  const two = ar1Params(ar1Stats(new Float64Array([1, 3]), 2, 1));
  assert.equal(two.phi[0], 0);
  assert.equal(two.sigma[0], 1);
});

Deno.test("mergeAr1Stats() of two chunks equals the stats of both (minus the boundary pair)", () => {
  const x = ar1Series(400, 0.5, 10, 1, 2);
  const whole = ar1Stats(x, 400, 1);
  const a = ar1Stats(x.slice(0, 150), 150, 1, whole.shift);
  const b = ar1Stats(x.slice(150), 250, 1, whole.shift);
  const m = mergeAr1Stats(a, b);
  assert.equal(m.n[0], 400);
  assert.equal(m.np[0], 398);
  assert.ok(Math.abs(m.s1[0] - whole.s1[0]) < 1e-9);
  const pw = ar1Params(whole), pm = ar1Params(m);
  assert.ok(Math.abs(pw.phi[0] - pm.phi[0]) < 0.01);
});

Deno.test("ar1Z() predicts the first row from μ, uses μ after a NaN, gives NaN for NaN", () => {
  const p = {
    mu: new Float64Array([10]),
    phi: new Float64Array([0.5]),
    sigma: new Float64Array([2]),
    constant: new Uint8Array(1),
  };
  const z = ar1Z(p, new Float64Array([14, 16, NaN, 12]), 4);
  assert.equal(z[0], 2); // |14 − 10| / 2
  assert.equal(z[1], (16 - 10 - 0.5 * 4) / 2);
  assert.ok(Number.isNaN(z[2]));
  assert.equal(z[3], 1); // lag = μ
});

Deno.test("aggregateRows() computes mean/max/p95 over finite columns; shareContributions() splits the score", () => {
  const rows = 2;
  const z = new Float64Array([1, NaN, 3, NaN, 5, NaN, 100, 100]); // 4 columns; last is constant
  const constant = new Uint8Array([0, 0, 0, 1]);
  const mean = aggregateRows(z, rows, constant, "mean");
  assert.equal(mean[0], 3);
  assert.equal(mean[1], 0, "all-NaN row → 0");
  assert.equal(aggregateRows(z, rows, constant, "max")[0], 5);
  assert.ok(Math.abs(aggregateRows(z, rows, constant, "p95")[0] - 4.8) < 1e-12);
  const c = shareContributions(z, rows, constant, mean);
  assert.equal(c, z, "written over z, no second array");
  [1 / 3, 0, 1, 0, 5 / 3, 0, 0, 0].forEach((v, k) => assert.ok(Math.abs(c[k] - v) < 1e-12));
  assert.ok(Math.abs(c[0] + c[2] + c[4] + c[6] - 3) < 1e-12);
});

Deno.test("ar1Scores() gives exactly aggregateRows(ar1Z()) for mean, max and p95", () => {
  const rows = 500, cols = 4;
  const values = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) values.set(ar1Series(rows, 0.3 * j, j, 1 + j, 20 + j), j * rows);
  values[rows + 17] = NaN;
  values.fill(5, 3 * rows, 4 * rows); // a constant column
  const p = ar1Params(ar1Stats(values, rows, cols), 0.999, 1e-3);
  for (const how of ["mean", "max", "p95"] as const) {
    const expected = aggregateRows(ar1Z(p, values, rows), rows, p.constant, how);
    assert.deepEqual(ar1Scores(p, values, rows, how), expected, how);
  }
});
