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
  // Window rows: times and row-major standardised values (NaN = missing), oldest
  // first, rows [h, len) of the buffers (rows that left the window are skipped,
  // then dropped in bulk, so no row costs a shift of the whole window).
  const wt: number[] = carry ? [...carry.t] : [];
  let len = wt.length, h = 0;
  let wx = new Float64Array(Math.max(64, 2 * len) * d);
  if (carry) carry.x.forEach((v, k) => (wx[k] = v === null ? NaN : v));
  // Standardised rows, a block at a time: each column read in order (the row
  // loop below would otherwise touch d columns, each far from the next, per row).
  const xb = new Float64Array(STANDARDISE_BLOCK * d);
  for (let i = 0; i < n; i++) {
    const t = frame.timestamps[i];
    while (h < len && t - wt[h] > windowMs) h++;
    if (h > 1024) {
      wt.splice(0, h);
      wx.copyWithin(0, h * d, len * d);
      len -= h;
      h = 0;
    }
    const r = i % STANDARDISE_BLOCK;
    if (r === 0) standardiseBlock(model, frame, cols, i, Math.min(n, i + STANDARDISE_BLOCK), xb);
    const x = xb.subarray(r * d, r * d + d);
    if ((len + 1) * d > wx.length) {
      const grown = new Float64Array(2 * wx.length);
      grown.set(wx.subarray(0, len * d));
      wx = grown;
    }
    wt.push(t);
    wx.set(x, len * d);
    len++;
    // The row against the mean of the window's oldest third (the mean damps the noise).
    const oldTo = t - (2 * windowMs) / 3;
    let old = h;
    while (old < len && wt[old] <= oldTo) old++;
    // Stops once `need` sensors moved, or once too few are left to get there.
    let moving = 0;
    for (let a = 0; a < d && moving < need && moving + (d - a) >= need; a++) {
      const xa = x[a];
      if (xa - xa !== 0) continue;
      let so = 0, no = 0;
      for (let k = h; k < old; k++) {
        const v = wx[k * d + a];
        if (v - v === 0) (so += v), no++;
      }
      if (no > 0 && Math.abs(xa - so / no) > options.ramp_z) moving++;
    }
    if (moving >= need) mask[i] = 1;
  }
  const keep = Array.from(wx.subarray(h * d, len * d));
  return {
    mask,
    carry: { t: wt.slice(h), x: keep.map((v) => (Number.isFinite(v) ? v : null)) },
  };
}

/** Rows per block of standardised values. */
const STANDARDISE_BLOCK = 256;

/**
 * Rows [i0, i1) of the regime sensors standardised, (v − mean) / scale (NaN
 * where missing or absent), row-major into `out` from row 0.
 */
function standardiseBlock(
  model: RegimeModel,
  frame: Frame,
  cols: readonly number[],
  i0: number,
  i1: number,
  out: Float64Array,
): void {
  const d = cols.length, n = frame.rows;
  for (let a = 0; a < d; a++) {
    const j = cols[a], mu = model.mean[a], sc = model.scale[a];
    if (j < 0) {
      for (let i = i0; i < i1; i++) out[(i - i0) * d + a] = NaN;
      continue;
    }
    const base = j * n;
    for (let i = i0; i < i1; i++) out[(i - i0) * d + a] = (frame.values[base + i] - mu) / sc;
  }
}
