/**
 * The row-by-row ramp mask as core/regimes/ramp.ts computed it before its
 * standardisation went block-wise: the reference the fast version must equal bit for bit.
 */
import type { Frame } from "../../../core/frame.ts";
import type { RegimeModel } from "../../../core/regimes/model.ts";
import type { RampCarry, RampOptions } from "../../../core/regimes/ramp.ts";

export function rampMaskReference(
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
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const t = frame.timestamps[i];
    while (h < len && t - wt[h] > windowMs) h++;
    if (h > 1024) {
      wt.splice(0, h);
      wx.copyWithin(0, h * d, len * d);
      len -= h;
      h = 0;
    }
    for (let a = 0; a < d; a++) {
      const j = cols[a];
      const v = j < 0 ? NaN : frame.values[j * n + i];
      x[a] = (v - model.mean[a]) / model.scale[a];
    }
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
