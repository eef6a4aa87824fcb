/**
 * Trailing rolling-window statistics of one series, computed directly from
 * each row's window (no running sums), so the value at a row depends only on
 * the rows inside its window: a chunk scored with carried warm-up rows gives
 * bit-identical features to one long frame.
 *
 * Window of row t: the last `rows` rows (t − rows < i ≤ t), or, when `ms` > 0,
 * the rows with timestamp > ts[t] − ms (pandas' closed="right" time window).
 * NaN and ±Infinity values inside a window are skipped (min_periods = 1 over finite values);
 * a window without a finite value gives NaN for every statistic.
 *
 * Statistics (n = finite values in the window):
 * - median: middle value (mean of the two middle values for even n).
 * - mad: median of |x_i − median(window)| over the window (unscaled).
 * - mean; std: sample std (divisor n − 1), 0 when n = 1.
 * - slope: OLS slope of value vs row position (units per row), 0 when n < 2.
 * - skew: adjusted Fisher–Pearson G1 = √(n(n−1))/(n−2) · m3/m2^1.5 (pandas/scipy
 *   bias=False), 0 when n < 3 or the window is constant.
 * - kurt: excess kurtosis G2 = ((n+1) g2 + 6)(n−1)/((n−2)(n−3)), g2 = m4/m2² − 3,
 *   0 when n < 4 or the window is constant (Joanes & Gill 1998, type 2).
 * - rz: robust z (x_t − median)/(1.4826 · max(mad, 1e-9)), clipped to ±rzClip;
 *   NaN when x_t is NaN.
 * A sorted copy of the window's finite values is kept by binary-search
 * insertion/removal; MAD is the k-th smallest of two sorted deviation runs
 * (left and right of the median), found by binary search.
 */

/** The statistics `rollingStats` can compute. */
export const ROLLING_STATS = [
  "median",
  "mad",
  "mean",
  "std",
  "slope",
  "skew",
  "kurt",
  "rz",
] as const;

/** One rolling statistic. */
export type RollingStat = typeof ROLLING_STATS[number];

/** A trailing window: `ms` > 0 selects a time window, else the last `rows` rows. */
export interface RollingWindow {
  rows: number;
  ms: number;
}

const MAD_SCALE = 1.4826;
const MAD_FLOOR = 1e-9;

/**
 * Rolling statistics of `x` (one series, timestamps `ts` in ms ascending), one
 * output array per requested stat, in the order of `stats`. `out` may supply
 * the output arrays (length x.length each) to avoid allocation.
 */
export function rollingStats(
  x: Float64Array,
  ts: Float64Array,
  window: RollingWindow,
  stats: readonly RollingStat[],
  rzClip = 100,
  out: Float64Array[] = stats.map(() => new Float64Array(x.length)),
): Float64Array[] {
  const n = x.length;
  const want = (s: RollingStat) => stats.indexOf(s);
  const iMed = want("median"), iMad = want("mad"), iMean = want("mean"), iStd = want("std");
  const iSlope = want("slope"), iSkew = want("skew"), iKurt = want("kurt"), iRz = want("rz");
  const needMad = iMad >= 0 || iRz >= 0;
  const higherMoments = iStd >= 0 || iSkew >= 0 || iKurt >= 0 || iSlope >= 0;
  const needMoments = iMean >= 0 || higherMoments;
  const byTime = window.ms > 0;
  const maxRows = Math.max(1, Math.floor(window.rows));

  // The sorted window serves median, MAD and rz; moments alone only need the count.
  const needSorted = iMed >= 0 || needMad;
  let sorted = new Float64Array(needSorted ? (byTime ? 64 : maxRows + 1) : 0);
  let count = 0;
  let start = 0;
  for (let t = 0; t < n; t++) {
    const xt = x[t];
    if (xt - xt === 0 && !needSorted) count++;
    else if (xt - xt === 0) {
      if (count === sorted.length) {
        const grown = new Float64Array(sorted.length * 2);
        grown.set(sorted);
        sorted = grown;
      }
      const at = lowerBound(sorted, count, xt);
      for (let i = count; i > at; i--) sorted[i] = sorted[i - 1]; // plain loop: windows are short
      sorted[at] = xt + 0; // -0 → +0: equal values are interchangeable, so order cannot leak history
      count++;
    }
    if (byTime) {
      const edge = ts[t] - window.ms;
      while (start < t && ts[start] <= edge) {
        if (x[start] - x[start] === 0) count = drop(sorted, count, x[start], needSorted);
        start++;
      }
    } else {
      while (t - start + 1 > maxRows) {
        if (x[start] - x[start] === 0) count = drop(sorted, count, x[start], needSorted);
        start++;
      }
    }
    if (count === 0) {
      for (let s = 0; s < out.length; s++) out[s][t] = NaN;
      continue;
    }
    const half = count >> 1;
    const med = !needSorted
      ? NaN
      : count & 1
      ? sorted[half]
      : 0.5 * (sorted[half - 1] + sorted[half]);
    if (iMed >= 0) out[iMed][t] = med;
    if (needMad) {
      const mad = medianDeviation(sorted, count, med);
      if (iMad >= 0) out[iMad][t] = mad;
      if (iRz >= 0) {
        const z = (xt - med) / (MAD_SCALE * Math.max(mad, MAD_FLOOR));
        out[iRz][t] = z > rzClip ? rzClip : z < -rzClip ? -rzClip : z;
      }
    }
    if (needMoments) {
      let sx = 0, sp = 0;
      for (let i = start; i <= t; i++) {
        const v = x[i];
        if (v - v === 0) {
          sx += v;
          sp += i - start; // relative positions keep results independent of the chunk offset
        }
      }
      const mean = sx / count, pbar = sp / count;
      if (iMean >= 0) out[iMean][t] = mean;
      if (!higherMoments) continue;
      let m2 = 0, m3 = 0, m4 = 0, sxy = 0, spp = 0;
      for (let i = start; i <= t; i++) {
        const v = x[i];
        if (v - v === 0) {
          const d = v - mean, dp = i - start - pbar, d2 = d * d;
          m2 += d2;
          m3 += d2 * d;
          m4 += d2 * d2;
          sxy += dp * d;
          spp += dp * dp;
        }
      }
      const flat = m2 === 0 || m2 / count <= 1e-24 * mean * mean;
      if (iStd >= 0) out[iStd][t] = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
      if (iSlope >= 0) out[iSlope][t] = spp > 0 ? sxy / spp : 0;
      if (iSkew >= 0) {
        out[iSkew][t] = count < 3 || flat ? 0 : (Math.sqrt(count * (count - 1)) / (count - 2)) *
          ((m3 / count) / Math.pow(m2 / count, 1.5));
      }
      if (iKurt >= 0) {
        if (count < 4 || flat) out[iKurt][t] = 0;
        else {
          const g2 = (count * m4) / (m2 * m2) - 3;
          out[iKurt][t] = (((count + 1) * g2 + 6) * (count - 1)) / ((count - 2) * (count - 3));
        }
      }
    }
  }
  return out;
}

/** First index in sorted[0, count) whose value is ≥ v. */
function lowerBound(sorted: Float64Array, count: number, v: number): number {
  let lo = 0, hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A value leaves the window: removed from the sorted copy when one is kept; returns the new count. */
function drop(sorted: Float64Array, count: number, v: number, keepSorted: boolean): number {
  return keepSorted ? removeValue(sorted, count, v) : count - 1;
}

/** Removes one occurrence of v (present) from sorted[0, count); returns the new count. */
function removeValue(sorted: Float64Array, count: number, v: number): number {
  const at = lowerBound(sorted, count, v);
  for (let i = at + 1; i < count; i++) sorted[i - 1] = sorted[i];
  return count - 1;
}

/** Median of |s_i − med| over sorted[0, count), as the middle of two merged ascending runs. */
function medianDeviation(sorted: Float64Array, count: number, med: number): number {
  const h = lowerBound(sorted, count, med); // left run: s[h-1], s[h-2], ... ; right run: s[h], ...
  const half = count >> 1;
  if (count & 1) return kthDeviation(sorted, count, med, h, half);
  return 0.5 *
    (kthDeviation(sorted, count, med, h, half - 1) + kthDeviation(sorted, count, med, h, half));
}

/** k-th smallest (0-based) of the deviations A_i = med − s[h−1−i] and B_j = s[h+j] − med. */
function kthDeviation(sorted: Float64Array, count: number, med: number, h: number, k: number) {
  const na = h, nb = count - h;
  let lo = Math.max(0, k + 1 - nb), hi = Math.min(k + 1, na);
  while (lo < hi) {
    const i = (lo + hi) >> 1;
    const j = k + 1 - i;
    if (j > 0 && med - sorted[h - 1 - i] < sorted[h + j - 1] - med) lo = i + 1;
    else hi = i;
  }
  const j = k + 1 - lo;
  const a = lo > 0 ? med - sorted[h - lo] : -Infinity;
  const b = j > 0 ? sorted[h + j - 1] - med : -Infinity;
  return a > b ? a : b;
}

/** x shifted down by `lag` rows (out[t] = x[t − lag]); NaN for the first `lag` rows. */
export function lagSeries(x: Float64Array, lag: number, out = new Float64Array(x.length)) {
  for (let t = 0; t < x.length; t++) out[t] = t - lag >= 0 ? x[t - lag] : NaN;
  return out;
}

/** Difference over `lag` rows (out[t] = x[t] − x[t − lag]); NaN for the first `lag` rows. */
export function diffSeries(x: Float64Array, lag: number, out = new Float64Array(x.length)) {
  for (let t = 0; t < x.length; t++) out[t] = t - lag >= 0 ? x[t] - x[t - lag] : NaN;
  return out;
}
