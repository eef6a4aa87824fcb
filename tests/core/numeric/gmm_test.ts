import assert from "node:assert/strict";
import {
  fitGmm,
  gmmBic,
  gmmParameterCount,
  logProbRows,
  makeGmmParams,
  scoreGmm,
} from "../../../core/numeric/gmm.ts";
import { createRng } from "../../../core/rng.ts";
import { columnMedians } from "../../../core/numeric/standardize.ts";
import { golden, rowMajor } from "./_golden_b.ts";

/** Column-major 3-cluster data in `d` columns (clusters differ on the first two columns). */
function threeClusters(per: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed), n = 3 * per;
  const x = new Float64Array(n * d);
  const centres = [[0, 0], [6, 0], [0, 6]];
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(i / per)];
    for (let j = 0; j < d; j++) x[j * n + i] = (j < 2 ? c[j] : 0) + rng.normal();
  }
  return x;
}

for (const cov of ["full", "diag"] as const) {
  Deno.test(`logProbRows() matches scikit-learn score_samples for fixed ${cov} parameters (1e-9)`, () => {
    const g = golden.gmm;
    const covs = Float64Array.from(g[cov].covariances.flat(2));
    const p = makeGmmParams(Float64Array.from(g.weights), rowMajor(g.means), covs, 3, 3, cov);
    assert.ok(p !== null);
    const lp = logProbRows(p, rowMajor(g.x), g.x.length);
    g[cov].log_prob.forEach((v, i) =>
      assert.ok(Math.abs(lp[i] - v) < 1e-9, `row ${i}: ${lp[i]} vs ${v}`)
    );
  });

  Deno.test(`gmmBic() matches scikit-learn bic() for fixed ${cov} parameters (rel. 1e-10)`, () => {
    const g = golden.gmm;
    assert.equal(gmmParameterCount(3, 3, cov), g[cov].n_parameters);
    const covs = Float64Array.from(g[cov].covariances.flat(2));
    const p = makeGmmParams(Float64Array.from(g.weights), rowMajor(g.means), covs, 3, 3, cov)!;
    const total = logProbRows(p, rowMajor(g.x), g.x.length).reduce((s, v) => s + v, 0);
    const bic = gmmBic(total, g.x.length, 3, 3, cov);
    assert.ok(Math.abs(bic - g[cov].bic) < 1e-10 * Math.abs(g[cov].bic), `${bic} vs ${g[cov].bic}`);
  });

  Deno.test(`fitGmm() picks k = 3 by BIC on a clear 3-cluster dataset (${cov})`, () => {
    const per = 200, d = 3;
    const model = fitGmm(threeClusters(per, d, 1), 3 * per, d, createRng(2), {
      covariance: cov,
      kMin: 1,
      kMax: 5,
    });
    assert.equal(model.params?.k, 3, `BIC ${Array.from(model.bic)}`);
    const best = Math.min(...model.bic);
    assert.equal(model.bic[model.kTried.indexOf(3)], best);
    const w = Array.from(model.params!.weights).sort();
    w.forEach((v) => assert.ok(Math.abs(v - 1 / 3) < 0.03, `weights ${w}`));
  });

  Deno.test(`scoreGmm() scores an injected anomaly higher and names its column (${cov})`, () => {
    const per = 150, d = 4, n = 3 * per;
    const x = threeClusters(per, d, 3);
    const model = fitGmm(x, n, d, createRng(4), { covariance: cov, kMin: 3, kMax: 3 });
    // Probe rows (column-major): a cluster centre, and the same point 7 sd away on column 3.
    const probe = new Float64Array([6, 6, 0, 0, 0, 0, 0, 7]);
    const { scores, contributions } = scoreGmm(model, probe, 2, { contributions: true });
    assert.ok(scores[1] > scores[0] + 15, `${scores}`);
    const c1 = [0, 1, 2, 3].map((j) => contributions![j * 2 + 1]);
    assert.equal(c1.indexOf(Math.max(...c1)), 3, `${c1}`);
    assert.ok(contributions!.every((v) => v >= 0));
    const sum = c1.reduce((s, v) => s + v, 0);
    assert.ok(sum > 30 && sum < 80, `Mahalanobis share sum ${sum}`); // ≈ 7² on the standardised scale
  });
}

Deno.test("fitGmm() is deterministic for a seed and uses at most maxFitRows rows", () => {
  const per = 300, d = 3, n = 3 * per, x = threeClusters(per, d, 5);
  const a = fitGmm(x, n, d, createRng(6), { maxFitRows: 400, kMax: 4 });
  const b = fitGmm(x, n, d, createRng(6), { maxFitRows: 400, kMax: 4 });
  assert.equal(a.fitRows, 400);
  assert.deepEqual(scoreGmm(a, x, n).scores, scoreGmm(b, x, n).scores);
});

Deno.test("fitGmm() drops constant columns and imputes NaN with training medians", () => {
  const per = 100, n = 3 * per;
  const base = threeClusters(per, 2, 7);
  const x = new Float64Array(n * 3);
  x.set(base, 0);
  x.fill(5, 2 * n); // column 2 constant
  const model = fitGmm(x, n, 3, createRng(8), { kMin: 3, kMax: 3 });
  assert.deepEqual(Array.from(model.keep), [0, 1]);
  const probe = new Float64Array([NaN, model.medians[0], 1, 1, 5, 123]);
  const s = scoreGmm(model, probe, 2).scores;
  assert.equal(s[0], s[1]); // NaN → median; the dropped constant column is ignored
});

Deno.test("scoreGmm() scores 0 when every column is constant", () => {
  const model = fitGmm(new Float64Array(40).fill(2), 20, 2, createRng(1));
  assert.equal(model.params, null);
  assert.deepEqual(Array.from(scoreGmm(model, new Float64Array([2, 9]), 1).scores), [0]);
});

Deno.test("fitGmm() with the columns' medians given fits exactly as when it computes them", () => {
  const n = 300, cols = 3, rng = createRng(21);
  const values = new Float64Array(n * cols).map((_, k) => (k % 41 === 0 ? NaN : rng.normal()));
  values.fill(NaN, 2 * n, 3 * n); // an empty column: its median is NaN, used as 0
  const medians = columnMedians(values, n, cols);
  const opts = { kMax: 3, maxFitRows: 200 };
  assert.deepEqual(
    fitGmm(values, n, cols, createRng(4), { ...opts, medians }),
    fitGmm(values, n, cols, createRng(4), opts),
  );
});
