import assert from "node:assert/strict";
import { fitOmr, scoreOmr } from "../../../core/numeric/omr.ts";
import { colMajor, golden } from "./_golden_a.ts";
import { createRng } from "../../../core/rng.ts";

const { rows, cols } = golden.X;
const Z = colMajor(golden.Z_row_major, rows, cols);

for (const method of ["ridge", "pca"] as const) {
  Deno.test(`scoreOmr() (${method}) has training mean 1 and contributions summing to the score`, () => {
    const model = fitOmr(Z, rows, cols, { method, alpha: 0.01, nComponents: 2, variance: 0.9 });
    const { score, contributions } = scoreOmr(model, Z, rows, true);
    const mean = score.reduce((a, b) => a + b, 0) / rows;
    assert.ok(Math.abs(mean - 1) < 1e-12, `${mean}`);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += contributions![j * rows + i];
      assert.ok(Math.abs(sum - score[i]) < 1e-12);
    }
  });
}

Deno.test("scoreOmr() flags a row that breaks the correlation structure, unclipped", () => {
  const model = fitOmr(Z, rows, cols, {
    method: "ridge",
    alpha: 0.01,
    nComponents: 0,
    variance: 0.9,
  });
  const row = new Float64Array(cols);
  for (let j = 0; j < cols; j++) row[j] = Z[j * rows];
  row[0] += 8; // one sensor leaves its correlated partners
  const { score, contributions } = scoreOmr(model, row, 1, true);
  const base = scoreOmr(model, Z.subarray(0, 0), 0).score;
  assert.equal(base.length, 0);
  assert.ok(score[0] > 10, `${score[0]}`);
  let top = 0;
  for (let j = 1; j < cols; j++) if (contributions![j] > contributions![top]) top = j;
  assert.equal(top, 0);
});

/**
 * 10 sensors driven by two shared factors plus sensor noise from 0.1 (sensor 0,
 * quiet) to 1.0 (sensor 9), column-major; `bias` is added to sensor 0.
 */
function factors(seed: number, n: number, bias = 0): Float64Array {
  const rng = createRng(seed), d = 10, z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const f1 = rng.normal(), f2 = rng.normal();
    for (let j = 0; j < d; j++) {
      const noise = 0.1 + 0.1 * j;
      z[j * n + i] = (1 - j / 20) * f1 + (j / 20) * f2 + noise * rng.normal() +
        (j === 0 ? bias : 0);
    }
  }
  return z;
}

const ROBUST = { method: "ridge", alpha: 0.01, nComponents: 0, variance: 0.9 } as const;

function p99(xs: Float64Array): number {
  return Float64Array.from(xs).sort()[Math.floor(0.99 * (xs.length - 1))];
}

Deno.test("scoreOmr() per_sensor + max flags an 8σ bias on one of 10 sensors that sum_sq dilutes", () => {
  const n = 2000, train = factors(1, n);
  const maxModel = fitOmr(train, n, 10, { ...ROBUST, normalize: "per_sensor", aggregate: "max" });
  const sumModel = fitOmr(train, n, 10, ROBUST);
  // σ_0: the quiet sensor's noise plus the error of predicting the factors from the noisy others.
  assert.ok(maxModel.sigma[0] > 0.1 && maxModel.sigma[0] < 0.3, `σ_0 ${maxModel.sigma[0]}`);
  assert.ok(maxModel.sigma[9] > 3 * maxModel.sigma[0], `σ_9 ${maxModel.sigma[9]}`);
  const test = factors(2, 200, 8 * maxModel.sigma[0]); // 8 residual σ on sensor 0
  const zMax = scoreOmr(maxModel, test, 200, true);
  const zSum = scoreOmr(sumModel, test, 200).score;
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(mean(zMax.score) >= 5, `per_sensor max ${mean(zMax.score)}`);
  // Relative to each score's own training p99: per_sensor max stands out (≈ 2.4×), sum_sq's
  // shift of the quiet sensor drowns in the noisy sensors' residuals (≈ 0.8×).
  const trainMax = scoreOmr(maxModel, train, n).score,
    trainSum = scoreOmr(sumModel, train, n).score;
  const ratioMax = mean(zMax.score) / p99(trainMax), ratioSum = mean(zSum) / p99(trainSum);
  assert.ok(ratioMax > 2 && ratioSum < 1, `max ${ratioMax}, sum_sq ${ratioSum}`);
  assert.ok(ratioMax > 2 * ratioSum);

  // Contributions (r_j/σ_j)²: the biased sensor is the culprit on nearly every row.
  let hits = 0;
  for (let i = 0; i < 200; i++) {
    let top = 0;
    for (let j = 1; j < 10; j++) {
      if (zMax.contributions![j * 200 + i] > zMax.contributions![top * 200 + i]) top = j;
    }
    if (top === 0) hits++;
  }
  assert.ok(hits >= 190, `culprit on ${hits}/200 rows`);
});

Deno.test("scoreOmr() rms is sqrt(mean q²) and per_sensor sum_sq keeps training mean 1", () => {
  const n = 1000, train = factors(3, n);
  const rms = fitOmr(train, n, 10, { ...ROBUST, normalize: "per_sensor", aggregate: "rms" });
  const { score, contributions } = scoreOmr(rms, train.slice(), n, true);
  for (const i of [0, 17, 999]) {
    let s = 0;
    for (let j = 0; j < 10; j++) s += contributions![j * n + i];
    assert.ok(Math.abs(score[i] - Math.sqrt(s / 10)) < 1e-12);
  }
  const sum = fitOmr(train, n, 10, { ...ROBUST, normalize: "per_sensor" });
  const m = scoreOmr(sum, train, n).score.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(m - 1) < 1e-12, `${m}`);
});

Deno.test("scoreOmr() with a missing mask imputes the conditional mean (in block copies) and gives the missing sensor residual 0", () => {
  const n = 2000, train = factors(4, n);
  for (const method of ["ridge", "pca"] as const) {
    const model = fitOmr(train, n, 10, {
      ...ROBUST,
      method,
      nComponents: 2,
      normalize: "per_sensor",
      aggregate: "max",
    });
    const rowsT = 300, test = factors(5, rowsT), full = scoreOmr(model, test.slice(), rowsT, true);
    // Sensor 0 missing on every row; "median" imputation = 0 on the standardised scale.
    const mask = new Uint8Array(rowsT * 10).fill(1, 0, rowsT);
    const zeroed = test.slice().fill(0, 0, rowsT);
    const naive = scoreOmr(model, zeroed.slice(), rowsT).score;
    const z = zeroed.slice();
    const cond = scoreOmr(model, z, rowsT, true, mask);
    let worse = 0, naiveMax = 0, condMax = 0, fullMax = 0;
    for (let i = 0; i < rowsT; i++) {
      assert.equal(cond.contributions![i], 0);
      if (cond.score[i] > full.score[i] + 0.5) worse++;
      naiveMax = Math.max(naiveMax, naive[i]);
      condMax = Math.max(condMax, cond.score[i]);
      fullMax = Math.max(fullMax, full.score[i]);
    }
    assert.ok(naiveMax > 2 * fullMax, `${method}: median imputation max ${naiveMax} vs ${fullMax}`);
    // Ridge: the Gaussian conditional mean; PCA: the SPE minimiser (not exactly the max-q one).
    const slack = method === "ridge" ? 0.5 : 1;
    assert.ok(condMax <= fullMax + slack, `${method}: conditional max ${condMax} vs ${fullMax}`);
    assert.ok(worse <= 3, `${method}: ${worse} rows raised`);

    assert.deepEqual(z, zeroed, "z is read, never written");
  }
});

Deno.test("scoreOmr() through a transform in blocks equals scoring the transformed copy", () => {
  const n = 5000, d = 10, raw = factors(6, n);
  const center = Float64Array.from({ length: d }, (_, j) => j / 3);
  const scale = Float64Array.from({ length: d }, (_, j) => 1 + j / 10);
  const t = { center, scale };
  const z = raw.map((x, k) => (x - center[Math.floor(k / n)]) * scale[Math.floor(k / n)]);
  const model = fitOmr(z.slice(), n, d, { ...ROBUST, method: "ridge", normalize: "per_sensor" });
  const mask = new Uint8Array(n * d).map((_, k) => (k % 37 === 0 ? 1 : 0));
  const direct = scoreOmr(model, z, n, true, mask);
  const viaT = scoreOmr(model, raw, n, true, mask, t);
  direct.score.forEach((v, i) => assert.ok(Math.abs(v - viaT.score[i]) < 1e-9, `row ${i}`));
  direct.contributions!.forEach((v, k) =>
    assert.ok(Math.abs(v - viaT.contributions![k]) < 1e-9, `cell ${k}`)
  );
});

Deno.test("fitOmr() through a transform fits what it fits on the transformed copy, and writes nothing", () => {
  const n = 3000, d = 10, raw = factors(7, n);
  const center = Float64Array.from({ length: d }, (_, j) => j / 3);
  const scale = Float64Array.from({ length: d }, (_, j) => 1 + j / 10);
  const z = raw.map((x, k) => (x - center[Math.floor(k / n)]) * scale[Math.floor(k / n)]);
  const mask = new Uint8Array(n * d).map((_, k) => (k % 29 === 0 ? 1 : 0));
  for (const aggregate of ["max", "sum_sq"] as const) {
    const opts = { ...ROBUST, normalize: "per_sensor", aggregate } as const;
    const before = raw.slice();
    const viaT = fitOmr(raw, n, d, opts, mask, undefined, { center, scale });
    const onCopy = fitOmr(z.slice(), n, d, opts, mask);
    viaT.sigma.forEach((s, j) => assert.ok(Math.abs(s - onCopy.sigma[j]) < 1e-9, `σ ${j}`));
    assert.ok(Math.abs(viaT.trainMean - onCopy.trainMean) < 1e-9 * onCopy.trainMean);
    assert.deepEqual(raw, before, "input untouched");
  }
});
