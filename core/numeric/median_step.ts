/**
 * The sampling step of a time series: the median of the steps between
 * consecutive timestamps (the upper median for an even count), robust to gaps
 * and to a few duplicate or irregular rows.
 */

/** Median step of sorted timestamps `t` (epoch ms); NaN for fewer than two rows. */
export function medianStep(t: ArrayLike<number>): number {
  const n = t.length;
  if (n < 2) return NaN;
  const steps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) steps[i - 1] = t[i] - t[i - 1];
  return steps.sort()[(n - 1) >> 1];
}
