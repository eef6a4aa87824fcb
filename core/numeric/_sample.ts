/** Seeded sampling of row indices. Private to core/numeric. */
import type { Rng } from "../rng.ts";

/**
 * `m` distinct indices of `[0, n)` drawn uniformly without replacement (partial
 * Fisher–Yates), in ascending order; all of `[0, n)` when `m ≥ n`.
 */
export function sampleWithoutReplacement(n: number, m: number, rng: Rng): Int32Array {
  if (m >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, m).sort();
}
