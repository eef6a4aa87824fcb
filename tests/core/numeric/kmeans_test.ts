import assert from "node:assert/strict";
import { kmeans, kmeansPlusPlus } from "../../../core/numeric/kmeans.ts";
import { createRng } from "../../../core/rng.ts";
import { plainPlusPlus } from "./_kmeans_reference.ts";

/** Row-major blobs: `per` rows around each centre with unit-scale noise × `spread`. */
function blobs(centres: number[][], per: number, spread: number, seed: number): Float64Array {
  const rng = createRng(seed), d = centres[0].length;
  const x = new Float64Array(centres.length * per * d);
  centres.forEach((c, k) => {
    for (let i = 0; i < per; i++) {
      for (let j = 0; j < d; j++) x[(k * per + i) * d + j] = c[j] + spread * rng.normal();
    }
  });
  return x;
}

Deno.test("kmeans() recovers three separated blobs and labels them consistently", () => {
  const centres = [[0, 0], [10, 0], [0, 10]];
  const x = blobs(centres, 100, 1, 1);
  const km = kmeans(x, 300, 2, 3, createRng(7));
  assert.equal(km.k, 3);
  for (const c of centres) {
    const hit = [0, 1, 2].some((q) =>
      Math.hypot(km.centres[q * 2] - c[0], km.centres[q * 2 + 1] - c[1]) < 0.5
    );
    assert.ok(hit, `no centre near ${c}: ${km.centres}`);
  }
  for (let b = 0; b < 3; b++) {
    const first = km.labels[b * 100];
    for (let i = 1; i < 100; i++) assert.equal(km.labels[b * 100 + i], first);
  }
  assert.ok(km.inertia > 300 && km.inertia < 900, `inertia ${km.inertia}`); // ≈ 2 per row
});

Deno.test("kmeans() is deterministic for a seed", () => {
  const x = blobs([[0, 0, 0], [3, 3, 3]], 80, 1.5, 2);
  const a = kmeans(x, 160, 3, 4, createRng(3));
  const b = kmeans(x, 160, 3, 4, createRng(3));
  assert.deepEqual(a.centres, b.centres);
  assert.deepEqual(a.labels, b.labels);
});

Deno.test("kmeans() with more restarts never has a higher inertia", () => {
  const x = blobs([[0, 0], [4, 0], [8, 0], [0, 4], [4, 4]], 40, 1.2, 5);
  const one = kmeans(x, 200, 2, 5, createRng(9), { nInit: 1 });
  const many = kmeans(x, 200, 2, 5, createRng(9), { nInit: 8 });
  assert.ok(many.inertia <= one.inertia + 1e-9, `${many.inertia} > ${one.inertia}`);
});

Deno.test("kmeansPlusPlus() picks distinct data points, far apart on separated data", () => {
  const x = blobs([[0, 0], [100, 0], [0, 100]], 50, 0.1, 4);
  const c = kmeansPlusPlus(x, 150, 2, 3, createRng(1));
  const groups = new Set<number>();
  for (let q = 0; q < 3; q++) {
    groups.add(Math.round(c[q * 2] / 100) * 2 + Math.round(c[q * 2 + 1] / 100));
  }
  assert.equal(groups.size, 3); // one seed per blob (D² weighting makes a repeat ~1e-6 likely)
});

Deno.test("kmeans() handles degenerate input: no rows, k > n, identical rows", () => {
  assert.equal(kmeans(new Float64Array(0), 0, 2, 3, createRng(1)).k, 0);
  const small = kmeans(new Float64Array([1, 2, 3, 4]), 2, 2, 5, createRng(1));
  assert.equal(small.k, 2);
  assert.equal(small.inertia, 0);
  const same = kmeans(new Float64Array(20).fill(1), 10, 2, 3, createRng(1));
  assert.equal(same.inertia, 0);
  assert.ok(same.centres.every((v) => v === 1));
});

Deno.test("kmeans() labels every row with its nearest centre on overlapping clusters (bounded Lloyd)", () => {
  const d = 20, x = blobs([Array(d).fill(0), Array(d).fill(0.6), Array(d).fill(1.2)], 400, 1, 6);
  const n = 1200, km = kmeans(x, n, d, 6, createRng(2));
  for (let i = 0; i < n; i++) {
    let best = 0, bestD = Infinity;
    for (let c = 0; c < 6; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j] - km.centres[c * d + j]) ** 2;
      if (s < bestD) [best, bestD] = [c, s];
    }
    assert.equal(km.labels[i], best, `row ${i}`);
  }
});

Deno.test("kmeans() with init runs Lloyd once from the given centres, ignoring the generator", () => {
  const x = blobs([[0, 0], [6, 0], [0, 6]], 60, 1, 8);
  const init = new Float64Array([1, 1, 5, 1, 1, 5]);
  const copy = init.slice();
  const a = kmeans(x, 180, 2, 3, createRng(1), { init });
  const b = kmeans(x, 180, 2, 3, createRng(99), { init });
  assert.deepEqual(init, copy);
  assert.deepEqual(a.centres, b.centres);
  for (let q = 0; q < 3; q++) {
    // Centre q stays the one nearest its starting point (no reseeding, no relabelled clusters).
    assert.ok(
      Math.hypot(a.centres[q * 2] - [0, 6, 0][q], a.centres[q * 2 + 1] - [0, 0, 6][q]) < 0.5,
    );
  }
});

Deno.test("kmeansPlusPlus() skipping distances by the triangle inequality picks what computing them all picks", () => {
  const n = 3000, d = 5;
  const gen = createRng(11);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const blob = i % 4; // four well-separated blobs: most distances are skipped
    for (let j = 0; j < d; j++) x[i * d + j] = blob * 10 * (j === blob % d ? 1 : 0.2) + gen.next();
  }
  x.copyWithin(100 * d, 0, d); // a duplicate row (D² = 0 once its twin is a centre)
  for (let k = 1; k <= 8; k++) {
    const a = kmeansPlusPlus(x, n, d, k, createRng(100 + k));
    const b = plainPlusPlus(x, n, d, k, createRng(100 + k));
    assert.deepEqual(Array.from(a), Array.from(b), `k = ${k}`);
  }
});
