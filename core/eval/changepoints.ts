/**
 * Changepoint events from a binary outlier prediction, as SKAB's changepoint
 * problem builds them (README §1.2 step 5): `cp[0] = p[0]`, `cp[t] = |r[t] − r[t−1]|`,
 * where `r = p`, or, with a window of w > 1 rows, `r = rolling(w).max().fillna(0)`
 * of `p` (pandas semantics: the first w−1 rows have no full window and become 0).
 * Rising and falling edges of every alarm run are both events.
 */

/**
 * Changepoint events (1/0 per row) of a binary prediction `p` (any value other than 1 is 0).
 * `rollingMaxRows` ≤ 1 means no smoothing. Empty input gives an empty result.
 */
export function changepointEvents(p: ArrayLike<number>, rollingMaxRows = 0): Uint8Array {
  const n = p.length;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const bin = new Uint8Array(n);
  for (let i = 0; i < n; i++) bin[i] = p[i] === 1 ? 1 : 0;
  const r = rollingMaxRows > 1 ? rollingMax01(bin, Math.floor(rollingMaxRows)) : bin;
  out[0] = bin[0];
  for (let t = 1; t < n; t++) out[t] = r[t] !== r[t - 1] ? 1 : 0;
  return out;
}

/**
 * Trailing rolling maximum over `w` rows of a 0/1 series; rows before the first
 * full window are 0 (pandas `rolling(w).max().fillna(0)`). O(n) via the last 1 seen.
 */
export function rollingMax01(bin: Uint8Array, w: number): Uint8Array {
  const n = bin.length;
  const out = new Uint8Array(n);
  let last = -Infinity;
  for (let t = 0; t < n; t++) {
    if (bin[t] === 1) last = t;
    out[t] = t >= w - 1 && t - last < w ? 1 : 0;
  }
  return out;
}

/** The timestamps at which `events` is 1, in order. */
export function eventTimes(timestamps: Float64Array, events: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < events.length; i++) if (events[i] === 1) out.push(timestamps[i]);
  return Float64Array.from(out);
}
