/**
 * Calibration of a head's raw score to a z-score from the robust statistics of
 * its TRAINING scores: z = (x − median) / scale with scale = 1.4826·MAD, floored
 * by a share of the training standard deviation and an absolute minimum (so a
 * MAD of 0 never divides by zero). Optionally one (median, scale) per operating
 * regime. The statistics are fitted once and persisted with the model: a chunk
 * is never re-standardised against itself, so a chunk that is anomalous from its
 * first row to its last still scores high (V8 §12 item 1).
 * Reference: Rousseeuw & Croux (1993), the 1.4826 consistency factor for the MAD.
 */
import { normalQuantile } from "../numeric/special.ts";
import { mad, quantileSorted, sortedFinite, std } from "../numeric/stats.ts";
import type { CalibrationOptions } from "../pipeline/stage_schemas.ts";

/** Fitted calibration of one head (plain data). */
export interface CalibratorState {
  median: number;
  scale: number;
  /** Regime label → [median, scale] for regimes with enough training rows. */
  regimes: Record<string, [number, number]>;
  /**
   * A limit-scaled head (its score is statistic / own limit): z = on_z × score,
   * so the detector's limit is exactly the episode threshold. Absent otherwise.
   */
  limit?: true;
}

/** The calibrator of a limit-scaled head (`Detector.limitScaled`). */
export function limitCalibrator(): CalibratorState {
  return { median: 0, scale: 1, regimes: {}, limit: true };
}

/**
 * Robust (median, scale) of finite training scores. scale = max(1.4826·MAD,
 * relative_scale_floor·sd, tail floor, min_scale) where the tail floor is
 * (q_tail − median)/Φ⁻¹(tail_quantile): heavy right tails (D², SPE, NLL) then map
 * their own training tail to at most the normal z of that quantile.
 */
export function robustCenterScale(
  scores: ArrayLike<number>,
  options: CalibrationOptions,
): [number, number] {
  const sorted = sortedFinite(scores);
  if (sorted.length === 0) return [0, 1];
  const m = quantileSorted(sorted, 0.5);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i] - m);
  const robust = 1.4826 * mad(dev, 0);
  const sd = std(sorted);
  let floor = Math.max(
    options.min_scale,
    options.relative_scale_floor * (Number.isFinite(sd) ? sd : 0),
  );
  const q = options.tail_quantile;
  if (q > 0.5 && q < 1) {
    floor = Math.max(floor, (quantileSorted(sorted, q) - m) / normalQuantile(q));
  }
  const scale = Math.max(Number.isFinite(robust) ? robust : 0, floor);
  return [m, scale > 0 ? scale : 1];
}

/** Fits a calibrator on a head's training scores; `labels` (per training row) enable per-regime statistics. */
export function fitCalibrator(
  scores: Float64Array,
  options: CalibrationOptions,
  labels?: Int32Array,
): CalibratorState {
  const [m, s] = robustCenterScale(scores, options);
  const state: CalibratorState = { median: m, scale: s, regimes: {} };
  if (!options.per_regime || !labels) return state;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] < 0 || !Number.isFinite(scores[i])) continue;
    let g = groups.get(labels[i]);
    if (!g) groups.set(labels[i], g = []);
    g.push(scores[i]);
  }
  for (const [label, values] of [...groups].sort((a, b) => a[0] - b[0])) {
    if (values.length >= options.min_regime_rows) {
      state.regimes[String(label)] = robustCenterScale(values, options);
    }
  }
  return state;
}

/**
 * Maps raw scores to z. Rows in a regime without its own statistics, rows in an
 * unseen regime and rows without a label use the global statistics. NaN → 0.
 * A limit-scaled state maps score × `onZ`.
 */
export function applyCalibrator(
  state: CalibratorState,
  raw: Float64Array,
  options: CalibrationOptions,
  labels?: Int32Array,
  unseen?: Uint8Array,
  onZ = 1,
): Float64Array {
  const out = new Float64Array(raw.length);
  const clip = options.clip_z;
  if (state.limit) {
    for (let i = 0; i < raw.length; i++) {
      const z = raw[i] * onZ;
      if (!Number.isNaN(z)) out[i] = z > clip ? clip : z < -clip ? -clip : z;
    }
    return out;
  }
  const perRegime = options.per_regime && labels !== undefined;
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (Number.isNaN(x)) continue;
    let m = state.median, s = state.scale;
    if (perRegime && !(unseen && unseen[i])) {
      const r = state.regimes[String(labels![i])];
      if (r) [m, s] = r;
    }
    const z = (x - m) / s;
    out[i] = z > clip ? clip : z < -clip ? -clip : z;
  }
  return out;
}
