/** Loads tests/golden/golden_a.json (written by tests/golden/make_golden_a.py) and small test helpers. */
import assert from "node:assert/strict";

// deno-lint-ignore no-explicit-any
export const golden: any = JSON.parse(
  await Deno.readTextFile(new URL("../../golden/golden_a.json", import.meta.url)),
);

/** JSON list with null for NaN → Float64Array. */
export function f64(xs: (number | null)[]): Float64Array {
  return Float64Array.from(xs, (v) => (v === null ? NaN : v));
}

/** Row-major (rows × cols) → column-major Float64Array. */
export function colMajor(rowMajor: (number | null)[], rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = rowMajor[i * cols + j] ?? NaN;
  }
  return out;
}

/** Asserts |a − b| ≤ rel·max(1, |b|) elementwise (NaN must match NaN). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  label = "",
): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], b = expected[i];
    if (Number.isNaN(b)) {
      assert.ok(Number.isNaN(a), `${label}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${label}[${i}]: ${a} vs ${b}`);
  }
}

/** rows × cols column-major standard-normal matrix from a seeded generator. */
export { createRng } from "../../../core/rng.ts";
