/**
 * Min/max downsampling for drawing: a series is split into equal time buckets
 * (one per pixel column) and each bucket keeps its minimum and maximum point,
 * in time order. Every peak and trough survives, so a one-row spike is still
 * drawn at full height (the M4 idea without first/last points: Jugel et al.,
 * "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014).
 *
 * Degenerate input: series of at most 2 × buckets points, or buckets < 1, are
 * returned unchanged (copied); NaN points are dropped; an all-NaN bucket emits nothing.
 */

/** A drawable series: x (epoch ms) and y of equal length. */
export interface XY {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Where each of `buckets` equal time buckets of `x` ends (exclusive row index),
 * as minMaxDownsample() cuts them; null when it would return `x` unchanged. Many
 * series on one time axis share it (minMaxDownsample's `ends`).
 */
export function bucketEnds(x: Float64Array, buckets: number): Int32Array | null {
  const n = x.length;
  if (n <= 2 * buckets || buckets < 1) return null;
  const x0 = x[0], span = x[n - 1] - x0;
  const ends = new Int32Array(buckets);
  let i = 0;
  for (let b = 0; b < buckets; b++) {
    // The bucket holds rows with x < edge (the last bucket takes the rest).
    const edge = b === buckets - 1 ? Infinity : x0 + (span * (b + 1)) / buckets;
    while (i < n && x[i] < edge) i++;
    ends[b] = i;
  }
  return ends;
}

/**
 * Keeps the min and max of `y` in each of `buckets` equal time buckets; `ends`
 * (bucketEnds(x, buckets), used when `y` is as long as `x`) saves cutting them again.
 */
export function minMaxDownsample(
  x: Float64Array,
  y: Float64Array,
  buckets: number,
  ends?: Int32Array | null,
): XY {
  const n = Math.min(x.length, y.length);
  if (n <= 2 * buckets || buckets < 1) return { x: x.slice(0, n), y: y.slice(0, n) };
  const cut = ends && ends.length === buckets && n === x.length
    ? ends
    : bucketEnds(x.subarray(0, n), buckets)!;
  const outX = new Float64Array(2 * buckets);
  const outY = new Float64Array(2 * buckets);
  let k = 0;
  let i = 0;
  for (let b = 0; b < buckets; b++) {
    const end = cut[b];
    // NaN fails both comparisons, so it is skipped without a test of its own; strict
    // comparisons keep the first of equal lows and highs
    let lo = -1, hi = -1, vlo = Infinity, vhi = -Infinity;
    for (; i < end; i++) {
      const v = y[i];
      if (v < vlo) {
        lo = i;
        vlo = v;
      }
      if (v > vhi) {
        hi = i;
        vhi = v;
      }
    }
    // only +Infinity (no low found) or only −Infinity (no high): the first of them is both
    if (lo < 0) lo = hi;
    else if (hi < 0) hi = lo;
    if (lo < 0) continue;
    const a = lo <= hi ? lo : hi, c = lo <= hi ? hi : lo;
    outX[k] = x[a];
    outY[k++] = y[a];
    if (c !== a) {
      outX[k] = x[c];
      outY[k++] = y[c];
    }
  }
  // views of the points kept (not copies: callers only read them)
  return { x: outX.subarray(0, k), y: outY.subarray(0, k) };
}

/**
 * The largest x step between drawn neighbours that is not a data gap, once `x`
 * (`rawLimit` being the gap limit of the raw rows) is downsampled to `buckets`:
 * min/max points of adjacent buckets can lie up to two bucket widths apart, so
 * the raw limit alone would lift the pen between almost every pair of points.
 * Series short enough to be drawn unchanged keep the raw limit.
 */
export function drawnGapLimit(x: Float64Array, buckets: number, rawLimit: number): number {
  const n = x.length;
  if (n <= 2 * buckets || buckets < 1) return rawLimit;
  const bucket = (x[n - 1] - x[0]) / buckets;
  return Math.max(rawLimit, 2 * bucket * 1.0001);
}
