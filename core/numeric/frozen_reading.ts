/**
 * The frozen-reading test (a stuck sensor): a sequential probability ratio test
 * on whether each reading repeats the previous one. Under "normal" a reading
 * repeats with the probability p₀ seen in training (per operating regime: a
 * stopped machine's current reads 0.00 row after row, a running one's almost
 * never); under "frozen" it always repeats. The log-likelihood ratio of a repeat
 * is ln(1/p₀) and that of a change is −∞, so the Page CUSUM form is a weighted
 * run length (Page 1954, Biometrika 41; Basseville & Nikiforov 1993, §2.2):
 *   S ← repeat ? min(cap·h, S + ln(1/p₀)) : 0.
 * A missing reading leaves S (and the last reading) unchanged; a held row
 * restarts S at 0. p₀ = (repeats + 1) / (pairs + 2) (Laplace's rule), so a regime
 * with few training rows gets no hair trigger. Unlike a variance-drop test on the
 * model residual, it does not read a quiet state whose residual scale training
 * over-estimated (the minutes after a stop) as a stuck sensor.
 */

/** Per-sensor repeat weights and limits of the frozen-reading test. */
export interface FrozenFit {
  /** (R + 1) × d: ln(1/p₀) per regime slot (row g) and, in row R, pooled over all steady rows. */
  weight: Float64Array;
  /** Limit per sensor (log-likelihood-ratio units). */
  limit: Float64Array;
}

/**
 * Fits the test on column-major `values` (rows × d): repeat probability per
 * regime slot (`slot[i]` in [0, R), −1 = pooled only) over steady rows (hold 0),
 * and each sensor's limit = max(floor, margin × the training maximum of S).
 */
export function fitFrozen(
  values: Float64Array,
  rows: number,
  d: number,
  slot: Int32Array,
  R: number,
  hold: Uint8Array | null,
  margin: number,
  floor: number,
): FrozenFit {
  const weight = new Float64Array((R + 1) * d), limit = new Float64Array(d);
  const reps = new Float64Array(R + 1), pairs = new Float64Array(R + 1);
  for (let j = 0; j < d; j++) {
    const col = values.subarray(j * rows, (j + 1) * rows);
    reps.fill(0);
    pairs.fill(0);
    let last = NaN;
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (hold !== null && hold[i] === 1) {
        last = NaN;
        continue;
      }
      if (v - v !== 0) continue;
      if (last === last) {
        const g = slot[i];
        const rep = v === last ? 1 : 0;
        reps[R] += rep;
        pairs[R]++;
        if (g >= 0) {
          reps[g] += rep;
          pairs[g]++;
        }
      }
      last = v;
    }
    for (let g = 0; g <= R; g++) {
      weight[g * d + j] = -Math.log((reps[g] + 1) / (pairs[g] + 2));
    }
    const { max } = runFrozen(col, weight, d, j, R, slot, 0, NaN, Infinity, hold, null);
    const h = margin * max;
    limit[j] = h > floor ? h : floor;
  }
  return { weight, limit };
}

/**
 * Runs the test for sensor `j` over its column `col`, starting from statistic
 * `s0` and last reading `last0` (NaN: none), with cap `top` (absolute units);
 * writes S/h per row into `out` when given (h = `limit`, or 1 when `out` is null).
 */
export function runFrozen(
  col: Float64Array,
  weight: Float64Array,
  d: number,
  j: number,
  R: number,
  slot: Int32Array,
  s0: number,
  last0: number,
  top: number,
  hold: Uint8Array | null,
  out: Float64Array | null,
  limit = 1,
): { s: number; last: number; max: number } {
  let s = s0, last = last0, max = s0;
  const inv = 1 / limit, pooled = weight[R * d + j];
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (hold !== null && hold[i] === 1) {
      s = 0;
      if (v - v === 0) last = v;
    } else if (v - v === 0) {
      if (v === last) {
        const g = slot[i];
        s += g >= 0 && g < R ? weight[g * d + j] : pooled;
        if (s > top) s = top;
        if (s > max) max = s;
      } else s = 0;
      last = v;
    }
    if (out) out[i] = s * inv;
  }
  return { s, last, max };
}
