/**
 * How far a row's inputs lie outside the training envelope, per sensor: the
 * leave-one-out Mahalanobis distance of the OTHER sensors' standardised readings
 * (the inputs of that sensor's expected value) beyond its training quantile.
 * An expected value read off a relation outside the data that fitted it is
 * uncertain in proportion to how far out its inputs are (first-order: a slope
 * error δβ gives an error δβ·Δx), so the condition model adds κ × this excess
 * (sensor standard deviations per unit of distance) to the residual scale in
 * quadrature. A faulty sensor moves the others' inputs, not its own, so its
 * residual keeps its scale while the residuals it drags along are discounted.
 *
 * Leave-one-out distance from the precision matrix P = (C + λI)⁻¹ of the
 * standardised readings (Schur complement; Mardia, Kent & Bibby, Multivariate
 * Analysis, 1979, §A.2.4): D²₋ⱼ(x) = xᵀPx − (Px)ⱼ² / Pⱼⱼ.
 */
import { spdInverse } from "./linalg.ts";
import { Predictor } from "./condition_predict.ts";
import {
  accumulateRows,
  addAccumulated,
  emptyStats,
  statsAccumulator,
} from "./regression_stats.ts";
import { selectQuantile } from "./standardize.ts";

/** A fitted envelope (plain data). */
export interface ExtrapolationFit {
  d: number;
  /** Training mean of the standardised readings (complete rows). */
  center: Float64Array;
  /** d × d row-major precision (C + λI)⁻¹. */
  precision: Float64Array;
  /** Per sensor, the training quantile of D₋ⱼ (the envelope's edge). */
  edge: Float64Array;
}

/**
 * Per row and sensor D₋ⱼ into `out` (rows × d column-major); a missing reading
 * counts as the centre. With `pick`, only the rows it lists, into `out` as
 * pick.length × d column-major.
 */
export function leaveOneOutDistance(
  f: ExtrapolationFit,
  z: Float64Array,
  rows: number,
  out: Float64Array,
  pick: Int32Array | null = null,
): void {
  const { d, precision: P, center } = f;
  const n = pick ? pick.length : rows;
  // u = P·x for a block of rows at a time (the prediction kernel with P as the
  // coefficients: each u_a summed over b in order), then xᵀPx = Σ_a u_a·x_a.
  const predictor = new Predictor(d, d, new Float64Array(d), P);
  const xb = new Float64Array(BLOCK * d), ub = new Float64Array(BLOCK * d);
  const q = new Float64Array(BLOCK);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const m = Math.min(BLOCK, n - k0);
    for (let j = 0; j < d; j++) {
      const c = center[j], at = j * rows, dst = j * BLOCK;
      for (let k = 0; k < m; k++) {
        const v = z[at + (pick ? pick[k0 + k] : k0 + k)] - c;
        xb[dst + k] = v - v === 0 ? v : 0;
      }
    }
    predictor.predict(xb, BLOCK, 0, m, ub, BLOCK, 0);
    // xᵀPx per row (each a sum over a in order), then each sensor's distance.
    q.fill(0, 0, m);
    for (let a = 0; a < d; a++) {
      const at = a * BLOCK;
      for (let k = 0; k < m; k++) q[k] += ub[at + k] * xb[at + k];
    }
    for (let j = 0; j < d; j++) {
      const pjj = P[j * d + j], at = j * BLOCK, dst = j * n + k0;
      for (let k = 0; k < m; k++) {
        const u = ub[at + k];
        const r = q[k] - (pjj > 0 ? u * u / pjj : 0);
        out[dst + k] = Math.sqrt(r > 0 ? r : 0);
      }
    }
  }
}

/** Rows per block of `leaveOneOutDistance`. */
const BLOCK = 128;

/** Most training rows the envelope's edge quantiles are taken over (an even stride beyond). */
const EDGE_ROWS = 25_000;

/**
 * Fits the envelope on standardised readings `z` (rows × d column-major) over
 * the rows where `use` is 1; `ridge` λ keeps near-collinear sensors from
 * making a tiny relation change look infinitely far, `quantile` sets each
 * sensor's edge (over at most EDGE_ROWS of the usable rows, evenly strided). Null when fewer than d + 2 rows are usable or C + λI is not SPD.
 */
export function fitExtrapolation(
  z: Float64Array,
  rows: number,
  d: number,
  use: Uint8Array,
  ridge: number,
  quantile: number,
): ExtrapolationFit | null {
  let n = 0;
  const center = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    if (!use[i]) continue;
    n++;
    for (let j = 0; j < d; j++) center[j] += z[j * rows + i];
  }
  if (n < d + 2) return null;
  for (let j = 0; j < d; j++) center[j] /= n;
  // Σ xxᵀ of the centred usable rows, each sum over the rows in order (the
  // accumulator's cross-product kernel), a block of rows at a time.
  const acc = statsAccumulator(d);
  const xb = new Float64Array(BLOCK * d), idx = new Int32Array(BLOCK);
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const m = Math.min(BLOCK, rows - i0);
    let k = 0;
    for (let i = 0; i < m; i++) if (use[i0 + i]) idx[k++] = i;
    if (k === 0) continue;
    for (let j = 0; j < d; j++) {
      const c = center[j], at = j * rows + i0, dst = j * BLOCK;
      for (let i = 0; i < m; i++) xb[dst + i] = z[at + i] - c;
    }
    accumulateRows(acc, xb, BLOCK, 0, idx, k);
  }
  const sums = emptyStats(d);
  addAccumulated(sums, acc);
  const c = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) c[b * d + a] = c[a * d + b] = sums.cross[a * d + b] / (n - 1);
    c[a * d + a] += ridge;
  }
  const precision = spdInverse(c, d);
  if (precision === null) return null;
  const fit: ExtrapolationFit = { d, center, precision, edge: new Float64Array(d) };
  const stride = Math.max(1, Math.ceil(n / EDGE_ROWS));
  const pick = new Int32Array(Math.ceil(n / stride));
  let m = 0, seen = 0;
  for (let i = 0; i < rows; i++) if (use[i] && seen++ % stride === 0) pick[m++] = i;
  const dist = new Float64Array(m * d);
  leaveOneOutDistance(fit, z, rows, dist, pick.subarray(0, m));
  for (let j = 0; j < d; j++) {
    fit.edge[j] = selectQuantile(dist.subarray(j * m, (j + 1) * m), quantile);
  }
  return fit;
}

/** Per row and sensor the excess max(0, D₋ⱼ − edgeⱼ) into `out` (rows × d column-major). */
export function excessDistance(
  f: ExtrapolationFit,
  z: Float64Array,
  rows: number,
  out: Float64Array,
): void {
  leaveOneOutDistance(f, z, rows, out);
  for (let j = 0; j < f.d; j++) {
    const e = f.edge[j];
    for (let i = 0; i < rows; i++) {
      const k = j * rows + i, v = out[k] - e;
      out[k] = v > 0 ? v : 0;
    }
  }
}
