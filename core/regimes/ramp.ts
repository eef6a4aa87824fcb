/**
 * Ramps: rows where the operating point is moving — at least half of the d regime
 * sensors, and at least min(3, d), changed by more than `ramp_z` training standard
 * deviations within the last `ramp_window_s` seconds: the row against the mean of
 * the window's oldest third (the mean damps the noise; missing cells skipped).
 * Half, not a fixed three: with many operating sensors (chosen automatically,
 * operating_sensors.ts) three of them cross a small `ramp_z` by noise alone, while
 * a start, a stop or a load change moves them all.
 * A start-up, a shut-down or a load change moves the operating sensors together
 * from its first minutes, well before the regime label flips; a single sensor
 * fault (step, stuck, noise) moves one sensor and is not a ramp. The window's
 * rows are carried, so chunked runs agree with one run over the whole series.
 */
import type { Frame } from "../frame.ts";
import type { RegimeModel } from "./model.ts";

/** Ramp settings (the `regimes` stage options). */
export interface RampOptions {
  /** Change in training standard deviations that counts as moving (0 = ramps off). */
  ramp_z: number;
  /** Look-back window, seconds. */
  ramp_window_s: number;
}

/** The window's rows carried to the next chunk: timestamps and row-major standardised values. */
export interface RampCarry {
  t: number[];
  /** Missing values as null (the carry is JSON). */
  x: Array<number | null>;
}

/**
 * 1 on rows where the operating point is moving (see the module comment); all 0
 * when `ramp_z` is 0 or the model has no sensors.
 */
export function rampMask(
  model: RegimeModel,
  frame: Frame,
  options: RampOptions,
  carry: RampCarry | null,
): { mask: Uint8Array; carry: RampCarry | null } {
  const n = frame.rows, d = model.sensors.length;
  const mask = new Uint8Array(n);
  if (!(options.ramp_z > 0) || d === 0) return { mask, carry: null };
  const windowMs = options.ramp_window_s * 1000;
  const cols = model.sensors.map((s) => frame.columns.indexOf(s));
  const need = Math.max(Math.min(3, d), Math.ceil(d / 2));
  // Window rows: times and standardised values (NaN = missing), oldest first.
  const wt: number[] = carry ? [...carry.t] : [];
  const wx: number[] = carry ? carry.x.map((v) => (v === null ? NaN : v)) : [];
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const t = frame.timestamps[i];
    let drop = 0;
    while (drop < wt.length && t - wt[drop] > windowMs) drop++;
    if (drop > 0) {
      wt.splice(0, drop);
      wx.splice(0, drop * d);
    }
    for (let a = 0; a < d; a++) {
      const j = cols[a];
      const v = j < 0 ? NaN : frame.values[j * n + i];
      x[a] = (v - model.mean[a]) / model.scale[a];
    }
    wt.push(t);
    for (let a = 0; a < d; a++) wx.push(x[a]);
    // The row against the mean of the window's oldest third (the mean damps the noise).
    const oldTo = t - (2 * windowMs) / 3;
    let moving = 0;
    for (let a = 0; a < d && moving < need; a++) {
      if (!Number.isFinite(x[a])) continue;
      let so = 0, no = 0;
      for (let k = 0; k < wt.length && wt[k] <= oldTo; k++) {
        const v = wx[k * d + a];
        if (Number.isFinite(v)) (so += v), no++;
      }
      if (no > 0 && Math.abs(x[a] - so / no) > options.ramp_z) moving++;
    }
    if (moving >= need) mask[i] = 1;
  }
  return { mask, carry: { t: wt, x: wx.map((v) => (Number.isFinite(v) ? v : null)) } };
}
