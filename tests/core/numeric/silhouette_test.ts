import assert from "node:assert/strict";
import {
  pairwiseDistances,
  silhouetteFromDistances,
  silhouetteScore,
  silhouettesOfSample,
} from "../../../core/numeric/silhouette.ts";
import { createRng } from "../../../core/rng.ts";
import { golden, rowMajor } from "./_golden_b.ts";

Deno.test("silhouetteScore() matches scikit-learn's silhouette_score, singleton included (1e-12)", () => {
  const g = golden.silhouette;
  const s = silhouetteScore(rowMajor(g.x), g.x.length, 3, Int32Array.from(g.labels));
  assert.ok(Math.abs(s - g.score) < 1e-12, `${s} vs ${g.score}`);
});

Deno.test("silhouetteScore() on a seeded sample is close to the full score and repeatable", () => {
  const rng = createRng(3), n = 3000;
  const x = new Float64Array(n * 2), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    x[i * 2] = labels[i] * 4 + rng.normal();
    x[i * 2 + 1] = rng.normal();
  }
  const full = silhouetteScore(x, n, 2, labels);
  const a = silhouetteScore(x, n, 2, labels, { sampleSize: 500, rng: createRng(1) });
  const b = silhouetteScore(x, n, 2, labels, { sampleSize: 500, rng: createRng(1) });
  assert.equal(a, b);
  assert.ok(Math.abs(a - full) < 0.03, `${a} vs ${full}`);
  assert.ok(full > 0.5 && full < 0.8, `${full}`);
});

Deno.test("silhouetteScore() is NaN for one cluster and ignores rows labelled -1", () => {
  const x = new Float64Array([0, 1, 2, 10, 11, 12]);
  assert.ok(Number.isNaN(silhouetteScore(x, 6, 1, new Int32Array(6))));
  const withIgnored = silhouetteScore(
    new Float64Array([0, 1, 10, 11, 500]),
    5,
    1,
    Int32Array.from([0, 0, 1, 1, -1]),
  );
  const without = silhouetteScore(
    new Float64Array([0, 1, 10, 11]),
    4,
    1,
    Int32Array.from([0, 0, 1, 1]),
  );
  assert.equal(withIgnored, without);
  // Outer points: a = 1, b = 10.5; inner points: a = 1, b = 9.5.
  assert.ok(Math.abs(without - (9.5 / 10.5 + 8.5 / 9.5) / 2) < 1e-12, `${without}`);
});

Deno.test("silhouettesOfSample() equals silhouetteFromDistances() on the pairwise distances, bit for bit", () => {
  const rng = createRng(5), n = 700, d = 5;
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() + (i % 3) * 2;
  const rows = Int32Array.from({ length: 203 }, (_, r) => r * 3 + (r % 2)); // not a multiple of 4
  const labelings = [2, 3, 5].map((k) => Int32Array.from(rows, (_, r) => (r * 7 + (r >> 2)) % k));
  labelings[1][4] = -1; // ignored rows
  labelings[1][9] = -1;
  labelings.push(new Int32Array(rows.length)); // one cluster: NaN
  const dist = pairwiseDistances(x, d, rows);
  const got = silhouettesOfSample(x, d, rows, labelings);
  labelings.forEach((l, g) => {
    assert.ok(Object.is(got[g], silhouetteFromDistances(dist, rows.length, l)), `labeling ${g}`);
  });
  assert.ok(Number.isNaN(got[3]));
});

Deno.test("silhouettesOfSample() equals silhouetteFromDistances() with ties, ignored rows and any m mod 4", () => {
  const rng = createRng(8), d = 3;
  for (const m of [2, 3, 4, 5, 6, 7, 8, 61, 130]) {
    const n = m + 5;
    const x = Float64Array.from({ length: n * d }, () => rng.int(3)); // duplicate rows, equal distances
    const rows = Int32Array.from({ length: m }, (_, r) => (r * 5 + 2) % n);
    const labelings = [2, 3, 4, 5, 6, 7].map((k) => Int32Array.from(rows, () => rng.int(k)));
    labelings[2][m - 1] = -1; // ignored rows, also inside a block of four
    if (m > 5) labelings[4][1] = labelings[4][2] = -1;
    const dist = pairwiseDistances(x, d, rows);
    const got = silhouettesOfSample(x, d, rows, labelings);
    labelings.forEach((l, g) => {
      const want = silhouetteFromDistances(dist, m, l);
      assert.ok(Object.is(got[g], want), `m ${m} labeling ${g}: ${got[g]} vs ${want}`);
    });
  }
});
