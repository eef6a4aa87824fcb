/**
 * Long gaps in the data (a plant stopped for months, a historian outage): rows
 * after such a gap start a new segment. Streaming detector state (sequential-test
 * statistics, EWMA levels, whitening history) restarts at each segment, and an
 * open episode closes at the last row before the gap, so nothing learnt or
 * accumulated before a gap is read as evidence after it.
 */

/** Shortest automatic gap: one day. */
export const MIN_AUTO_GAP_MS = 86_400_000;
/** Automatic gap = this many median row spacings (when longer than a day). */
export const AUTO_GAP_SPACINGS = 50;

/** Median of the positive spacings between consecutive timestamps (0 when there are none). */
export function medianSpacingMs(timestamps: Float64Array): number {
  const d: number[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const s = timestamps[i] - timestamps[i - 1];
    if (s > 0) d.push(s);
  }
  if (d.length === 0) return 0;
  d.sort((a, b) => a - b);
  const m = d.length >> 1;
  return d.length % 2 === 1 ? d[m] : (d[m - 1] + d[m]) / 2;
}

/**
 * The gap length (ms) above which rows start a new segment: `maxGapS` seconds
 * when > 0, else max(1 day, 50 × the median spacing of `timestamps`).
 */
export function gapThresholdMs(timestamps: Float64Array, maxGapS: number): number {
  if (maxGapS > 0) return maxGapS * 1000;
  return Math.max(MIN_AUTO_GAP_MS, AUTO_GAP_SPACINGS * medianSpacingMs(timestamps));
}

/**
 * 1 on every row that follows a gap longer than `thresholdMs` (row 0 when it lies
 * that far after `previousLast`, the last row of the previous chunk; null = none).
 */
export function gapBreaks(
  timestamps: Float64Array,
  thresholdMs: number,
  previousLast: number | null,
): Uint8Array {
  const n = timestamps.length;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  if (previousLast !== null && timestamps[0] - previousLast > thresholdMs) out[0] = 1;
  for (let i = 1; i < n; i++) {
    if (timestamps[i] - timestamps[i - 1] > thresholdMs) out[i] = 1;
  }
  return out;
}

/** Row ranges [start, end) between breaks (a break at row i > 0 starts a segment there); [] for 0 rows. */
export function gapSegments(breaks: Uint8Array): [number, number][] {
  const n = breaks.length;
  if (n === 0) return [];
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 1; i < n; i++) {
    if (breaks[i] === 1) {
      out.push([start, i]);
      start = i;
    }
  }
  out.push([start, n]);
  return out;
}
