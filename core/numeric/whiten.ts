/**
 * Low-order autoregressive whitening of a residual series: fit AR(p) by the
 * Yule–Walker equations on the finite lag pairs (Box, Jenkins & Reinsel, Time
 * Series Analysis, §3.2.2), then e_t = (r_t − Σ φ_k r_{t−k}) / σ_e with σ_e the
 * robust scale of the training innovations, so a sequential test sees close to
 * independent unit noise. A missing r_t is replaced by its prediction Σ φ_k r_{t−k}
 * in the history (innovation NaN: the caller skips the test update), so one
 * gap never poisons later rows. The last p values are carried across chunks.
 */
import { spdSolve } from "./linalg.ts";
import { compactFinite, selectMedian } from "./standardize.ts";

/** Fitted AR(p) whitening of one series. */
export interface ArWhitener {
  phi: Float64Array;
  /** Robust innovation scale (≥ the floor given to `fitWhitener`). */
  scale: number;
}

/** Autocovariance at lag k over pairs where both values are finite (values clipped to ±clip). */
function autocov(r: Float64Array, k: number, clip: number): number {
  let s = 0, n = 0;
  for (let i = k; i < r.length; i++) {
    const a = r[i], b = r[i - k];
    if (a - a !== 0 || b - b !== 0) continue;
    s += Math.max(-clip, Math.min(clip, a)) * Math.max(-clip, Math.min(clip, b));
    n++;
  }
  return n > 0 ? s / n : 0;
}

/**
 * Fits AR(`order`) on `r` (already scaled, mean ≈ 0): Yule–Walker with values
 * clipped to ±`clip` (so outliers do not set the dynamics); coefficients whose
 * sum of magnitudes exceeds 0.99 are shrunk to it (stable filter). Innovation
 * scale = max(1.4826·MAD, `floor`). Order 0 or too few values → φ = [], scale
 * of r itself. `scratch` (length ≥ r.length, overwritten) spares an allocation.
 */
export function fitWhitener(
  r: Float64Array,
  order: number,
  clip: number,
  floor: number,
  scratch: Float64Array | null = null,
): ArWhitener {
  let phi: Float64Array = new Float64Array(0);
  if (order > 0 && r.length > 4 * order + 10) {
    const g = new Float64Array(order + 1);
    for (let k = 0; k <= order; k++) g[k] = autocov(r, k, clip);
    if (g[0] > 0) {
      const a = new Float64Array(order * order);
      for (let i = 0; i < order; i++) {
        for (let j = 0; j < order; j++) a[i * order + j] = g[Math.abs(i - j)];
        a[i * order + i] *= 1 + 1e-9;
      }
      const sol = spdSolve(a, order, g.subarray(1));
      if (sol) {
        const mass = sol.reduce((s, v) => s + Math.abs(v), 0);
        phi = mass > 0.99 ? sol.map((v) => (v * 0.99) / mass) : sol;
      }
    }
  }
  // The innovations go into `scratch` (length ≥ r.length) when given, and are
  // reordered there for the median: no rows-sized allocation per call.
  const buf = whiten({ phi, scale: 1 }, r, null, scratch ?? new Float64Array(r.length)).e
    .subarray(0, r.length);
  const n = compactFinite(buf);
  const med = selectMedian(buf.subarray(0, n));
  for (let i = 0; i < n; i++) buf[i] = Math.abs(buf[i] - med);
  const mad = n > 0 ? 1.4826 * selectMedian(buf.subarray(0, n)) : 0;
  return { phi, scale: Math.max(Number.isFinite(mad) ? mad : 0, floor) };
}

/**
 * Whitened innovations of `r` (NaN where r is NaN), continuing from `history`
 * (the last p values, most recent first; null = zeros); returns the history
 * after the last value. With `into` (length ≥ r.length) the innovations are
 * written there and `e` is `into`.
 */
export function whiten(
  w: ArWhitener,
  r: Float64Array,
  history: Float64Array | null,
  into: Float64Array | null = null,
): { e: Float64Array; history: Float64Array } {
  const p = w.phi.length;
  const h = history && history.length === p ? history.slice() : new Float64Array(p);
  const e = into ?? new Float64Array(r.length);
  const inv = 1 / w.scale;
  for (let i = 0; i < r.length; i++) {
    let pred = 0;
    for (let k = 0; k < p; k++) pred += w.phi[k] * h[k];
    const x = r[i];
    const finite = x - x === 0;
    e[i] = finite ? (x - pred) * inv : NaN;
    for (let k = p - 1; k > 0; k--) h[k] = h[k - 1];
    if (p > 0) h[0] = finite ? x : pred;
  }
  return { e, history: h };
}
