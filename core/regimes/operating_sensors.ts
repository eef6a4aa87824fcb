/**
 * Automatic choice of the operating sensors (`regimes.operating_sensor_share`).
 * When the YAML names no regime sensors, the regimes are first clustered on every
 * sensor; a sensor is an *operating* sensor when those regimes explain at least
 * `share` of its training variance — its correlation ratio
 *   η² = Σ_c n_c (m_c − m)² / Σ_i (x_i − m)²
 * (between-regime over total variance of its finite values; Fisher's correlation
 * ratio, see Kendall & Stuart, "The Advanced Theory of Statistics", vol. 2, §26.21).
 * Speed, current, flow and pressure follow a start, a stop or a load change at
 * once (η² near 1); a temperature also follows the weather and its own thermal
 * lag, ambient follows only the weather (η² near 0). The regimes are then fitted
 * again on the operating sensors alone, so the envelope, the ramps and the labels
 * are judged where the operating state lives, and a warm day beyond the training
 * range is not an operating state training never saw.
 */
import type { Frame } from "../frame.ts";
import type { Rng } from "../rng.ts";
import type { RegimeOptions } from "../pipeline/stage_schemas.ts";
import { fitRegimes as fitOnSensors } from "./fit_regimes.ts";
import { nearestCentre, type RegimeModel, standardisedRows } from "./model.ts";
import { selectMedian } from "../numeric/standardize.ts";

/** Rows standardised at a time when labelling the training rows. */
const BLOCK = 4096;

/**
 * Per sensor of `model` (its order), the share of the sensor's variance on the
 * training `frame` explained by the model's regimes (nearest centre per row),
 * over its finite values; 0 for a constant sensor or a single regime.
 */
export function regimeShare(model: RegimeModel, frame: Frame): Float64Array {
  const d = model.sensors.length, n = frame.rows;
  const labels = new Int32Array(n).fill(-1);
  const work = {
    x: new Float64Array(Math.min(n, BLOCK) * d),
    valid: new Uint8Array(Math.min(n, BLOCK)),
  };
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    const { x, valid } = standardisedRows(
      frame,
      model.sensors,
      model.mean,
      model.scale,
      model.medians,
      from,
      to,
      work,
    );
    for (let r = 0; r < to - from; r++) {
      if (valid[r]) labels[from + r] = nearestCentre(x, r, model.centres, model.k, d)[0];
    }
  }
  const out = new Float64Array(d);
  if (model.k < 2) return out;
  const byRegime = Array.from({ length: model.k }, () => new Float64Array(n));
  const count = new Int32Array(model.k);
  for (let a = 0; a < d; a++) {
    const j = frame.columns.indexOf(model.sensors[a]);
    if (j < 0) continue;
    const col = frame.values.subarray(j * n, (j + 1) * n);
    count.fill(0);
    let total = 0, m = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i], c = labels[i];
      if (c < 0 || v - v !== 0) continue;
      byRegime[c][count[c]++] = v;
      total += v;
      m++;
    }
    if (m < 2) continue;
    const mean = total / m;
    let ss = 0;
    for (let c = 0; c < model.k; c++) {
      for (let r = 0; r < count[c]; r++) ss += (byRegime[c][r] - mean) ** 2;
    }
    let within = 0;
    for (let c = 0; c < model.k; c++) {
      if (count[c] > 0) within += count[c] * robustSpread(byRegime[c].subarray(0, count[c])) ** 2;
    }
    out[a] = ss > 1e-12 * Math.max(1, mean * mean) * m ? Math.max(0, 1 - within / ss) : 0;
  }
  return out;
}

/** 1.4826 × the median absolute deviation from the median (reorders `x`). */
function robustSpread(x: Float64Array): number {
  const med = selectMedian(x);
  for (let i = 0; i < x.length; i++) x[i] = Math.abs(x[i] - med);
  return 1.4826 * selectMedian(x);
}

/**
 * Fits the regime model (fit_regimes.ts). With no sensors named and
 * `operating_sensor_share` > 0, it keeps only the operating sensors (see the
 * module comment) and fits again on them; when fewer than min(3, d) sensors reach
 * the share, or the first fit finds a single regime, or every sensor does, the
 * all-sensor model stands.
 */
export function fitRegimes(frame: Frame, options: RegimeOptions, rng: Rng): RegimeModel {
  const first = fitOnSensors(frame, options, rng);
  const share = options.operating_sensor_share ?? 0;
  if (options.sensors.length > 0 || !(share > 0) || first.k < 2) return first;
  const eta = regimeShare(first, frame);
  const chosen = first.sensors.filter((_, a) => eta[a] >= share);
  const d = first.sensors.length;
  if (chosen.length < Math.min(3, d) || chosen.length === d) return { ...first, regimeShare: eta };
  const model = fitOnSensors(frame, { ...options, sensors: chosen }, rng.fork("operating"));
  return { ...model, regimeShare: eta, candidates: [...first.sensors] };
}
