import assert from "node:assert/strict";
import {
  cholesky,
  choleskySolve,
  logDetFromCholesky,
  matVec,
  spdConditionNumber,
  spdInverse,
  spdSolve,
  symmetricEigen,
} from "../../../core/numeric/linalg.ts";
import { createRng } from "../../../core/rng.ts";
import { assertClose, f64, golden } from "./_golden_a.ts";

function randomSymmetric(d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = rng.normal();
  }
  return a;
}

Deno.test("symmetricEigen() matches numpy.linalg.eigh on a covariance matrix (rel. 1e-10)", () => {
  const a = f64(golden.eigen.matrix);
  const { values } = symmetricEigen(a, 6);
  assertClose(values, f64(golden.eigen.values_desc), 1e-10, "eigenvalues");
});

Deno.test("symmetricEigen() gives orthonormal vectors with A v = λ v, values descending (d = 1..120)", () => {
  for (const d of [1, 2, 3, 17, 120]) {
    const a = randomSymmetric(d, d);
    const { values, vectors } = symmetricEigen(a, d);
    for (let k = 1; k < d; k++) assert.ok(values[k] <= values[k - 1], `d=${d} sorted`);
    for (let k = 0; k < d; k++) {
      const v = vectors.subarray(k * d, (k + 1) * d);
      const av = matVec(a, d, v);
      for (let i = 0; i < d; i++) {
        assert.ok(Math.abs(av[i] - values[k] * v[i]) < 1e-11, `d=${d} k=${k}`);
      }
      for (let m = 0; m < d; m++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += v[i] * vectors[m * d + i];
        assert.ok(Math.abs(dot - (m === k ? 1 : 0)) < 1e-12, `d=${d} orthonormal ${k},${m}`);
      }
    }
  }
});

Deno.test("symmetricEigen() handles repeated eigenvalues, zero and non-finite matrices", () => {
  const r = symmetricEigen(new Float64Array([2, 0, 0, 0, 2, 0, 0, 0, 2]), 3);
  assert.deepEqual(Array.from(r.values), [2, 2, 2]);
  assert.deepEqual(Array.from(symmetricEigen(new Float64Array(4), 2).values), [0, 0]);
  assert.ok(symmetricEigen(new Float64Array([1, NaN, NaN, 1]), 2).values.every(Number.isNaN));
  assert.equal(symmetricEigen(new Float64Array(0), 0).values.length, 0);
});

Deno.test("symmetricEigen() makes each vector's largest component positive (deterministic signs)", () => {
  const { vectors } = symmetricEigen(randomSymmetric(8, 3), 8);
  for (let k = 0; k < 8; k++) {
    const v = Array.from(vectors.subarray(k * 8, k * 8 + 8));
    const big = v.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
    assert.ok(big > 0);
  }
});

Deno.test("cholesky() matches numpy.linalg.cholesky and returns null when not SPD", () => {
  const l = cholesky(f64(golden.cholesky.matrix), 6)!;
  assertClose(l, f64(golden.cholesky.lower), 1e-12, "L");
  assert.equal(cholesky(new Float64Array([1, 2, 2, 1]), 2), null);
  assert.equal(cholesky(new Float64Array([0, 0, 0, 1]), 2), null);
  assert.equal(cholesky(new Float64Array([NaN, 0, 0, 1]), 2), null);
});

Deno.test("choleskySolve(), spdSolve(), spdInverse() and logDetFromCholesky() agree with A", () => {
  const a = f64(golden.cholesky.matrix);
  const b = new Float64Array([1, -2, 3, 0.5, 4, -1]);
  const x = spdSolve(a, 6, b)!;
  assertClose(matVec(a, 6, x), b, 1e-10, "A x = b");
  const l = cholesky(a, 6)!;
  assertClose(choleskySolve(l, 6, b), x, 1e-12, "same solve");
  const inv = spdInverse(a, 6)!;
  const e0 = matVec(inv, 6, matVec(a, 6, new Float64Array([1, 0, 0, 0, 0, 0])));
  assertClose(e0, [1, 0, 0, 0, 0, 0], 1e-10, "A⁻¹A e0");
  const ld = logDetFromCholesky(l, 6);
  const { values } = symmetricEigen(a, 6);
  assert.ok(Math.abs(ld - values.reduce((s, v) => s + Math.log(v), 0)) < 1e-9);
  assert.equal(spdInverse(new Float64Array([1, 2, 2, 1]), 2), null);
});

Deno.test("spdConditionNumber() is λmax/λmin, Infinity for a singular matrix", () => {
  assert.ok(Math.abs(spdConditionNumber(new Float64Array([4, 0, 0, 0.5]), 2) - 8) < 1e-12);
  assert.equal(spdConditionNumber(new Float64Array([1, 1, 1, 1]), 2), Infinity);
  assert.equal(spdConditionNumber(new Float64Array(0), 0), 1);
});

Deno.test("cholesky() equals the textbook column-by-column recurrence bit for bit", () => {
  const d = 11;
  const b = Float64Array.from(
    { length: d * d },
    (_, k) => Math.sin(k * 1.7) + (k % (d + 1) === 0 ? 3 : 0),
  );
  const a = new Float64Array(d * d); // a = b bᵀ + I: SPD
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += b[i * d + k] * b[j * d + k];
      a[i * d + j] = s;
    }
  }
  const want = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= want[j * d + k] * want[j * d + k];
    want[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= want[i * d + k] * want[j * d + k];
      want[i * d + j] = t / want[j * d + j];
    }
  }
  const got = cholesky(a, d)!;
  for (let k = 0; k < d * d; k++) {
    if (!Object.is(got[k], want[k])) throw new Error(`element ${k}: ${got[k]} != ${want[k]}`);
  }
});
