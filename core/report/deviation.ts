/**
 * How far an episode's top culprit sat from its expected value: the median over
 * the episode's rows of the residual (actual − expected, expected.csv) and that
 * median against the median expected value. It says "how badly" in the sensor's
 * own units where the episode's peak z (at the condition model's cap for any
 * sustained fault) cannot rank episodes.
 */
import { lowerBound } from "../numeric/lower_bound.ts";
import { selectMedian } from "../numeric/standardize.ts";

/** The culprit's median deviation over an episode. */
export interface Deviation {
  /** Median of actual − expected over the episode's rows (sensor units). */
  residual: number;
  /** That median over |median expected| (a fraction; NaN when the expected median is 0). */
  relative: number;
  /** Rows with a finite residual. */
  rows: number;
}

/**
 * The deviation of `sensor` over rows with start ≤ t ≤ end of `expected` (its
 * `t` ascending); null when the sensor has no expected values or no finite
 * residual in the span.
 */
export function culpritDeviation(
  expected: {
    t: Float64Array;
    expected: Record<string, Float64Array>;
    residual: Record<string, Float64Array>;
  },
  sensor: string,
  start: number,
  end: number,
): Deviation | null {
  const e = expected.expected[sensor], r = expected.residual[sensor], t = expected.t;
  if (!e || !r) return null;
  const res: number[] = [], exp: number[] = [];
  for (let i = lowerBound(t, start); i < t.length && t[i] <= end; i++) {
    if (Number.isFinite(r[i])) res.push(r[i]);
    if (Number.isFinite(e[i])) exp.push(e[i]);
  }
  if (res.length === 0) return null;
  const residual = selectMedian(Float64Array.from(res));
  const centre = exp.length > 0 ? selectMedian(Float64Array.from(exp)) : NaN;
  return {
    residual,
    relative: centre !== 0 && Number.isFinite(centre) ? residual / Math.abs(centre) : NaN,
    rows: res.length,
  };
}
