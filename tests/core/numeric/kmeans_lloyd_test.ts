import assert from "node:assert/strict";
import { kmeans } from "../../../core/numeric/kmeans.ts";
import { labelledSqDists, sqDist } from "../../../core/numeric/kmeans_lloyd.ts";
import { createRng } from "../../../core/rng.ts";
import { plainLloyd, plainPlusPlus, refMeanVariance } from "./_kmeans_reference.ts";

/** kmeans() by the plain references: best of nInit (k-means++, Hamerly Lloyd row by row). */
function plainKmeans(x: Float64Array, n: number, d: number, k: number, seed: number, nInit = 4) {
  const rng = createRng(seed), kk = Math.min(k, n), tolAbs = 1e-4 * refMeanVariance(x, n, d);
  let best: ReturnType<typeof plainLloyd> | null = null;
  for (let r = 0; r < nInit; r++) {
    const fit = plainLloyd(x, n, d, plainPlusPlus(x, n, d, kk, rng), kk, 100, tolAbs);
    if (best === null || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}

function same(got: ReturnType<typeof kmeans>, want: ReturnType<typeof plainLloyd>, what: string) {
  assert.deepEqual(Array.from(got.centres), Array.from(want.centres), `${what}: centres`);
  assert.deepEqual(Array.from(got.labels), Array.from(want.labels), `${what}: labels`);
  assert.ok(
    Object.is(got.inertia, want.inertia),
    `${what}: inertia ${got.inertia} vs ${want.inertia}`,
  );
  assert.equal(got.iterations, want.iterations, `${what}: iterations`);
}

function data(kind: string, n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, (_, i) => {
    if (kind === "grid") return rng.int(3); // exact ties and duplicate rows
    const blob = Math.floor(i / d) % 4;
    return blob * (1 + (i % d === blob % d ? 3 : 0)) + rng.normal();
  });
}

Deno.test("kmeans() equals plain k-means++ and row-by-row Hamerly Lloyd bit for bit (labels, centres, inertia, iterations)", () => {
  for (
    const [kind, n, d] of [["blobs", 600, 5], ["blobs", 333, 1], ["grid", 501, 3], [
      "blobs",
      257,
      9,
    ]] as const
  ) {
    const x = data(kind, n, d, n + d);
    for (let k = 1; k <= 7; k++) {
      same(
        kmeans(x, n, d, k, createRng(k)),
        plainKmeans(x, n, d, k, k),
        `${kind} n ${n} d ${d} k ${k}`,
      );
    }
  }
});

Deno.test("kmeans() equals the plain references when k exceeds the distinct rows (empty clusters) and n is tiny", () => {
  const three = Float64Array.from({ length: 90 * 2 }, (_, i) => [0, 4, 11][(i >> 1) % 3] + (i & 1));
  for (const k of [3, 4, 6]) {
    same(kmeans(three, 90, 2, k, createRng(k)), plainKmeans(three, 90, 2, k, k), `k ${k}`);
  }
  for (let n = 1; n <= 6; n++) {
    const x = data("grid", n, 2, n);
    for (let k = 1; k <= n + 1; k++) {
      same(kmeans(x, n, 2, k, createRng(k)), plainKmeans(x, n, 2, k, k), `n ${n} k ${k}`);
    }
  }
});

Deno.test("kmeans() from given centres equals the row-by-row Hamerly Lloyd from them", () => {
  const n = 800, d = 6, x = data("blobs", n, d, 5);
  for (const k of [2, 3, 5]) {
    const init = x.slice(0, k * d);
    const got = kmeans(x, n, d, k, createRng(1), { init });
    const want = plainLloyd(x, n, d, init.slice(), k, 100, 1e-4 * refMeanVariance(x, n, d));
    same(got, want, `k ${k}`);
    assert.deepEqual(init, x.slice(0, k * d), "init not modified");
  }
});

Deno.test("labelledSqDists() gives sqDist() of every row to its labelled centre", () => {
  const n = 103, d = 5, x = data("blobs", n, d, 8), centres = x.slice(0, 3 * d);
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const out = new Float64Array(n);
  labelledSqDists(x, n, d, centres, labels, out);
  for (let i = 0; i < n; i++) {
    assert.ok(Object.is(out[i], sqDist(x, i, centres, labels[i], d)), `row ${i}`);
  }
});
