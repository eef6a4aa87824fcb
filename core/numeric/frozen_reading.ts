/**
 * The frozen-reading test (a stuck sensor): a sequential probability ratio test
 * on whether each reading repeats the previous one. Under "normal", repeats
 * follow the two-state Markov chain seen in training (per operating regime: a
 * stopped machine's current reads 0.00 in long runs, a running one's almost
 * never repeats): a repeat after a change has probability p₀, a repeat after a
 * repeat p₁ (repeats cluster: noise lingering below a zero clip gives runs of
 * zeros). Under "frozen" every reading repeats. A change has log-likelihood
 * ratio −∞, so the Page CUSUM form is a weighted run length (Page 1954,
 * Biometrika 41; Basseville & Nikiforov 1993, §2.2):
 *   S ← repeat ? min(cap·h, S + (S > 0 ? ln(1/p₁) : ln(1/p₀))) : 0.
 * A missing reading leaves S (and the last reading) unchanged; a held row
 * restarts S at 0. Both probabilities use Laplace's rule ((k + 1) / (n + 2)),
 * so a regime with few training rows gets no hair trigger. Unlike a variance-drop test on the
 * model residual, it does not read a quiet state whose residual scale training
 * over-estimated (the minutes after a stop) as a stuck sensor.
 */

/** Per-sensor repeat weights and limits of the frozen-reading test. */
export interface FrozenFit {
  /** (R + 1) × d: ln(1/p₀) per regime slot (row g) and, in row R, pooled over all steady rows. */
  weight: Float64Array;
  /** (R + 1) × d: ln(1/p₁), the weight of a repeat that continues a run, same layout. */
  runWeight: Float64Array;
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
  const weight = new Float64Array((R + 1) * d), runWeight = new Float64Array((R + 1) * d);
  const limit = new Float64Array(d);
  // Per slot: [pairs after a change, repeats among them, pairs after a repeat, repeats among them].
  const k = new Float64Array(4 * (R + 1));
  for (let j = 0; j < d; j++) {
    const col = values.subarray(j * rows, (j + 1) * rows);
    k.fill(0);
    let last = NaN, prev = -1; // prev: −1 unknown, 0 the last pair changed, 1 it repeated
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (hold !== null && hold[i] === 1) {
        last = NaN;
        prev = -1;
        continue;
      }
      if (v - v !== 0) continue;
      if (last === last) {
        const rep = v === last ? 1 : 0;
        if (prev >= 0) {
          const at = 2 * prev, g = slot[i];
          k[4 * R + at]++;
          k[4 * R + at + 1] += rep;
          if (g >= 0) {
            k[4 * g + at]++;
            k[4 * g + at + 1] += rep;
          }
        }
        prev = rep;
      }
      last = v;
    }
    for (let g = 0; g <= R; g++) {
      weight[g * d + j] = -Math.log((k[4 * g + 1] + 1) / (k[4 * g] + 2));
      runWeight[g * d + j] = -Math.log((k[4 * g + 3] + 1) / (k[4 * g + 2] + 2));
    }
    const fit = { weight, runWeight };
    const { max } = runFrozen(col, fit, d, j, R, slot, 0, NaN, Infinity, hold, null);
    const h = margin * max;
    limit[j] = h > floor ? h : floor;
  }
  return { weight, runWeight, limit };
}

/**
 * Runs the test for sensor `j` over its column `col`, starting from statistic
 * `s0` and last reading `last0` (NaN: none), with cap `top` (absolute units);
 * writes S/h per row into `out` when given (h = `limit`, or 1 when `out` is null).
 */
export function runFrozen(
  col: Float64Array,
  fit: Pick<FrozenFit, "weight" | "runWeight">,
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
  const { weight, runWeight } = fit;
  const inv = 1 / limit;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (hold !== null && hold[i] === 1) {
      s = 0;
      if (v - v === 0) last = v;
    } else if (v - v === 0) {
      if (v === last) {
        const g = slot[i], at = (g >= 0 && g < R ? g : R) * d + j;
        s += s > 0 ? runWeight[at] : weight[at];
        if (s > top) s = top;
        if (s > max) max = s;
      } else s = 0;
      last = v;
    }
    if (out) out[i] = s * inv;
  }
  return { s, last, max };
}
