/**
 * Slow adaptation of per-sensor residual statistics (incremental updates of a
 * condition model): an exponentially forgotten weighted mean and variance of each
 * sensor's scaled residual q over rows judged normal, starting from the training
 * distribution (mean 0, variance 1) with the training rows' weight. Forgetting is
 * per day of data time (weight × forget^Δdays), so the memory is about
 * 1 / (1 − forget) days whatever the row spacing. Each row is learnt only when its
 * residual, in the adapted units, lies within ±guard (a guard band: a developing
 * fault's rows are not learnt), and the adapted centre and scale are clamped to
 * ±maxShift and [1, maxRatio] × the trained ones: the scale may widen with the
 * season but never shrink below the trained one, whose out-of-fold spread set the
 * test limits (a narrower scale would inflate every statistic towards its limit).
 * Method: exponentially weighted moments (Roberts 1959, EWMA control charts;
 * West 1979 for the weighted update of mean and variance).
 */

const DAY = 86_400_000;

/** Learned statistics per sensor (plain data). */
export interface ResidualAdaptState {
  /** Time of the last learnt row (epoch ms), null before any. */
  t: number | null;
  /** Per sensor: summed weight, weighted sum and weighted sum of squares of q. */
  w: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
}

/** Limits of the adaptation. */
export interface AdaptSettings {
  /** Weight kept per day (0 < forget ≤ 1). */
  forget: number;
  /** Only residuals within ±guard (adapted units) are learnt. */
  guard: number;
  /** Largest |centre| (trained units). */
  maxShift: number;
  /** Largest scale ratio (the scale never falls below the trained one). */
  maxRatio: number;
}

/** The training distribution (mean 0, variance 1) with `priorWeight` rows' weight for `d` sensors. */
export function initialAdapt(d: number, priorWeight: number): ResidualAdaptState {
  const w = Math.max(1, priorWeight);
  return {
    t: null,
    w: new Float64Array(d).fill(w),
    s1: new Float64Array(d),
    s2: new Float64Array(d).fill(w),
  };
}

/** Centre and scale per sensor from the learned statistics, clamped to the guard bands. */
export function adaptOf(
  s: ResidualAdaptState,
  o: AdaptSettings,
): { center: Float64Array; scale: Float64Array } {
  const d = s.w.length;
  const center = new Float64Array(d), scale = new Float64Array(d).fill(1);
  for (let j = 0; j < d; j++) {
    if (!(s.w[j] > 0)) continue;
    const m = s.s1[j] / s.w[j];
    const v = Math.max(0, s.s2[j] / s.w[j] - m * m);
    center[j] = Math.max(-o.maxShift, Math.min(o.maxShift, m));
    scale[j] = Math.max(1, Math.min(o.maxRatio, Math.sqrt(v)));
  }
  return { center, scale };
}

/**
 * Learns from rows with `learn[i] = 1` of column-major `q` (rows × d, trained
 * units), in time order; returns a new state (the input is not changed) and the
 * number of (row, sensor) values learnt.
 */
export function updateAdapt(
  state: ResidualAdaptState,
  q: Float64Array,
  rows: number,
  timestamps: Float64Array,
  learn: Uint8Array,
  o: AdaptSettings,
): { state: ResidualAdaptState; learnt: number } {
  const d = state.w.length;
  const next: ResidualAdaptState = {
    t: state.t,
    w: state.w.slice(),
    s1: state.s1.slice(),
    s2: state.s2.slice(),
  };
  let { center, scale } = adaptOf(next, o);
  let learnt = 0, sinceRefresh = 0;
  for (let i = 0; i < rows; i++) {
    if (learn[i] !== 1) continue;
    const t = timestamps[i];
    if (next.t !== null && t > next.t && o.forget < 1) {
      const f = Math.pow(o.forget, (t - next.t) / DAY);
      for (let j = 0; j < d; j++) {
        next.w[j] *= f;
        next.s1[j] *= f;
        next.s2[j] *= f;
      }
    }
    if (next.t === null || t > next.t) next.t = t;
    for (let j = 0; j < d; j++) {
      const v = q[j * rows + i];
      if (v - v !== 0) continue;
      if (!(Math.abs((v - center[j]) / scale[j]) <= o.guard)) continue;
      next.w[j] += 1;
      next.s1[j] += v;
      next.s2[j] += v * v;
      learnt++;
    }
    // the guard band follows the learned centre (refreshed every 60 learnt rows)
    if (++sinceRefresh >= 60) {
      ({ center, scale } = adaptOf(next, o));
      sinceRefresh = 0;
    }
  }
  return { state: next, learnt };
}
