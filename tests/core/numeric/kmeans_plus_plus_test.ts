import assert from "node:assert/strict";
import {
  kmeansPlusPlus,
  kmeansSeeder,
  seederSizes,
} from "../../../core/numeric/kmeans_plus_plus.ts";
import { kmeansScratch } from "../../../core/numeric/_kmeans_scratch.ts";
import { createRng } from "../../../core/rng.ts";
import { plainPlusPlus } from "./_kmeans_reference.ts";

/** Rows on a small integer grid: many exact ties and duplicate rows. */
function grid(n: number, d: number, levels: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => rng.int(levels));
}

function gaussian(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, (_, i) => rng.normal() + (i % 7));
}

Deno.test("kmeansPlusPlus() equals the plain one-trial-at-a-time seeding bit for bit (ties, duplicates, 2–5 trials)", () => {
  const cases: [string, Float64Array, number, number][] = [
    ["grid", grid(401, 3, 3, 1), 401, 3],
    ["gaussian", gaussian(257, 7, 2), 257, 7],
    ["one column", grid(120, 1, 4, 3), 120, 1],
  ];
  for (const [name, x, n, d] of cases) {
    for (const k of [1, 2, 3, 5, 7, 8, 13, 21, 25]) {
      const got = kmeansPlusPlus(x, n, d, k, createRng(k));
      const want = plainPlusPlus(x, n, d, k, createRng(k));
      assert.deepEqual(Array.from(got), Array.from(want), `${name}, k = ${k}`);
    }
  }
});

Deno.test("kmeansPlusPlus() equals the plain seeding when k exceeds the distinct rows or n is tiny", () => {
  // Three distinct rows repeated: after three centres every D² is 0 (uniform picks).
  const three = Float64Array.from(
    { length: 60 * 2 },
    (_, i) => [0, 5, 9][(i >> 1) % 3] * (i % 2 + 1),
  );
  for (const k of [3, 4, 6, 9]) {
    const got = kmeansPlusPlus(three, 60, 2, k, createRng(40 + k));
    assert.deepEqual(
      Array.from(got),
      Array.from(plainPlusPlus(three, 60, 2, k, createRng(40 + k))),
    );
  }
  for (let n = 1; n <= 5; n++) {
    const x = grid(n, 2, 2, 7 + n);
    for (let k = 1; k <= n + 1; k++) {
      const got = kmeansPlusPlus(x, n, 2, k, createRng(k));
      assert.deepEqual(
        Array.from(got),
        Array.from(plainPlusPlus(x, n, 2, k, createRng(k))),
        `n ${n} k ${k}`,
      );
    }
  }
  assert.equal(kmeansPlusPlus(new Float64Array(0), 0, 3, 2, createRng(1)).length, 0);
});

Deno.test("kmeansSeeder() gives kmeansPlusPlus()'s centres for each generator in turn", () => {
  const n = 300, d = 4, k = 5, x = gaussian(n, d, 9);
  const seed = kmeansSeeder(kmeansScratch(x, n, d, seederSizes(n, d, k)), n, d, k);
  const rng = createRng(3), again = createRng(3);
  for (let r = 0; r < 4; r++) {
    assert.deepEqual(
      Array.from(seed(rng)),
      Array.from(plainPlusPlus(x, n, d, k, again)),
      `run ${r}`,
    );
  }
});
