import assert from "node:assert/strict";
import { silhouetteScore } from "../../../core/numeric/silhouette.ts";
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
