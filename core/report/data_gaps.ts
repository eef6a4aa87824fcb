/**
 * Gaps in an asset's scored rows, found from the timestamps themselves (not
 * from the source's notes, which only see inside one chunk: a hole between two
 * chunks, like GAS_TURBINE's 122 days, is in no note). A gap is a step longer
 * than `factor` × the median step; the median is taken over every step.
 */
import { medianStep } from "../numeric/median_step.ts";

/** One hole in the data. */
export interface DataGap {
  /** Epoch ms of the last row before the hole and the first row after it. */
  from: number;
  to: number;
}

/** Holes in sorted timestamps `t`, longest first (at most `limit`), and how many there are in all. */
export function findGaps(
  t: Float64Array,
  factor = 5,
  limit = 20,
): { gaps: DataGap[]; total: number; medianStep: number } {
  if (t.length < 3) return { gaps: [], total: 0, medianStep: NaN };
  const median = medianStep(t);
  const limitMs = Math.max(median, 1) * factor;
  const gaps: DataGap[] = [];
  for (let i = 1; i < t.length; i++) {
    if (t[i] - t[i - 1] > limitMs) gaps.push({ from: t[i - 1], to: t[i] });
  }
  const total = gaps.length;
  gaps.sort((a, b) => b.to - b.from - (a.to - a.from));
  return { gaps: gaps.slice(0, limit), total, medianStep: median };
}
