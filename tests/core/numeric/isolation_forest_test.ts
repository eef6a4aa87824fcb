import assert from "node:assert/strict";
import {
  assembleForest,
  averagePathLength,
  fitIsolationForest,
  scoreIsolationForest,
} from "../../../core/numeric/isolation_forest.ts";
import { createRng } from "../../../core/rng.ts";
import { columnMedians } from "../../../core/numeric/standardize.ts";
import { median } from "../../../core/numeric/stats.ts";
import { auc, colMajor, golden, spearman } from "./_golden_b.ts";

function gaussian(rows: number, cols: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return new Float64Array(rows * cols).map(() => rng.normal());
}

Deno.test("averagePathLength() matches scikit-learn's c(n) (rel. 1e-12)", () => {
  const { n, c } = golden.average_path_length;
  n.forEach((m, i) => {
    assert.ok(Math.abs(averagePathLength(m) - c[i]) <= 1e-12 * Math.max(1, c[i]), `c(${m})`);
  });
});

Deno.test("scoreIsolationForest() scores a hand-built forest as the textbook 2^(-E[h]/c(psi)) (1e-12)", () => {
  const g = golden.hand_forest;
  const model = assembleForest(g.trees, g.psi, 2);
  const { scores } = scoreIsolationForest(model, colMajor(g.x), g.x.length);
  g.scores.forEach((s, i) =>
    assert.ok(Math.abs(scores[i] - s) < 1e-12, `row ${i}: ${scores[i]} vs ${s}`)
  );
});

Deno.test("fitIsolationForest() ranks injected outliers like scikit-learn (AUC ≥ 0.95 both, ρ ≥ 0.8)", () => {
  const g = golden.outlier_ranking;
  const n = g.x.length;
  const model = fitIsolationForest(colMajor(g.x), n, 5, createRng(17), {
    nTrees: 100,
    sampleSize: 256,
  });
  const { scores } = scoreIsolationForest(model, colMajor(g.x), n);
  const ours = auc(scores, g.is_outlier);
  assert.ok(g.sklearn_auc >= 0.95, `sklearn AUC ${g.sklearn_auc}`);
  assert.ok(ours >= 0.95, `our AUC ${ours}`);
  assert.ok(Math.abs(ours - g.sklearn_auc) <= 0.03, `AUC ${ours} vs sklearn ${g.sklearn_auc}`);
  const rho = spearman(scores, g.sklearn_scores);
  assert.ok(rho >= 0.8, `Spearman rho ${rho}`);
});

Deno.test("fitIsolationForest() keeps every leaf within the depth limit ⌈log2 ψ⌉", () => {
  const rows = 600, cols = 4;
  const model = fitIsolationForest(gaussian(rows, cols, 1), rows, cols, createRng(2), {
    nTrees: 20,
    sampleSize: 100,
  });
  assert.equal(model.psi, 100);
  assert.equal(model.maxDepth, 7);
  let leaves = 0, deepest = 0;
  for (let i = 0; i < model.feature.length; i++) {
    if (model.feature[i] >= 0) continue;
    leaves++;
    deepest = Math.max(deepest, model.pathLength[i] - averagePathLength(model.size[i]));
  }
  assert.ok(leaves >= 20 * 8, `${leaves} leaves`);
  assert.ok(Math.abs(deepest - 7) < 1e-9, `deepest leaf ${deepest}`);
});

Deno.test("fitIsolationForest() gives the same scores for the same seed and others for another seed", () => {
  const rows = 400, cols = 3, x = gaussian(rows, cols, 3);
  const a = scoreIsolationForest(fitIsolationForest(x, rows, cols, createRng(5)), x, rows).scores;
  const b = scoreIsolationForest(fitIsolationForest(x, rows, cols, createRng(5)), x, rows).scores;
  const c = scoreIsolationForest(fitIsolationForest(x, rows, cols, createRng(6)), x, rows).scores;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("scoreIsolationForest() scores 0.5 on degenerate training data (one row, constant)", () => {
  const one = fitIsolationForest(new Float64Array([1, 2]), 1, 2, createRng(1));
  assert.equal(one.nTrees, 0);
  assert.deepEqual(Array.from(scoreIsolationForest(one, new Float64Array([5, 5]), 1).scores), [
    0.5,
  ]);
  const flat = fitIsolationForest(new Float64Array(200).fill(3), 100, 2, createRng(1), {
    nTrees: 5,
  });
  const s = scoreIsolationForest(flat, new Float64Array([3, 9, 3, 9]), 2).scores;
  assert.ok(s.every((v) => Math.abs(v - 0.5) < 1e-12), `${s}`);
});

Deno.test("scoreIsolationForest() replaces NaN inputs with the training medians", () => {
  const rows = 301, cols = 2, x = gaussian(rows, cols, 9);
  const model = fitIsolationForest(x, rows, cols, createRng(4), { nTrees: 30 });
  // Column-major rows (NaN, 2.5) and (median of column 0, 2.5).
  const colm = new Float64Array([NaN, model.medians[0], 2.5, 2.5]);
  const s = scoreIsolationForest(model, colm, 2).scores;
  assert.equal(model.medians[0], median(x.subarray(0, rows)));
  assert.equal(s[0], s[1]);
  assert.ok(Number.isFinite(s[0]));
});

Deno.test("scoreIsolationForest() contributions name the column an outlier sits on", () => {
  const rows = 1000, cols = 4, x = gaussian(rows, cols, 11);
  const model = fitIsolationForest(x, rows, cols, createRng(12));
  const probe = new Float64Array(2 * cols); // row 0 ordinary (zeros), row 1 far out on column 2
  probe[2 * 2 + 1] = 8;
  const { scores, contributions } = scoreIsolationForest(model, probe, 2, { contributions: true });
  assert.ok(scores[1] > scores[0] + 0.1, `${scores}`);
  const c1 = [0, 1, 2, 3].map((j) => contributions![j * 2 + 1]);
  const c0 = [0, 1, 2, 3].map((j) => contributions![j * 2]);
  assert.equal(c1.indexOf(Math.max(...c1)), 2);
  assert.ok(c1[2] > 5 * Math.max(...c0), `${c1} vs ${c0}`);
  assert.ok(contributions!.every((v) => v >= 0));
});

Deno.test("fitIsolationForest() with maxFeatures limits each tree to that share of columns", () => {
  const rows = 500, cols = 6, x = gaussian(rows, cols, 13);
  const model = fitIsolationForest(x, rows, cols, createRng(14), {
    nTrees: 10,
    maxFeatures: 0.5,
    bootstrap: true,
  });
  for (let t = 0; t < model.nTrees; t++) {
    const end = t + 1 < model.nTrees ? model.roots[t + 1] : model.feature.length;
    const used = new Set<number>();
    for (let i = model.roots[t]; i < end; i++) {
      if (model.feature[i] >= 0) used.add(model.feature[i]);
    }
    assert.ok(used.size <= 3 && used.size >= 1, `tree ${t} uses ${used.size} columns`);
  }
});

Deno.test("fitIsolationForest() with the columns' medians given fits exactly as when it computes them", () => {
  const n = 300, cols = 3, rng = createRng(22);
  const values = new Float64Array(n * cols).map((_, k) => (k % 37 === 0 ? NaN : rng.normal()));
  values.fill(NaN, 2 * n, 3 * n);
  const medians = columnMedians(values, n, cols);
  assert.deepEqual(
    fitIsolationForest(values, n, cols, createRng(4), { nTrees: 10, medians }),
    fitIsolationForest(values, n, cols, createRng(4), { nTrees: 10 }),
  );
});
