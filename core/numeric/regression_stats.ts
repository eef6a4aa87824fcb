/**
 * Sufficient statistics of a multi-output linear regression (count, column sums
 * and cross-products of the design columns) accumulated over row ranges, so
 * contiguous folds are fitted by subtraction and new rows are added without the
 * old ones (Chan, Golub & LeVeque 1983 for the pooled form; the same statistics
 * drive recursive least squares). `ridgeFromStats` fits one target on a subset
 * of the columns from them.
 */
import { cholesky, choleskySolve } from "./linalg.ts";
import { type KernelExports, KernelMemory } from "./wasm/kernels.ts";

/** n, Σx (p) and Σxxᵀ (p×p row-major, both triangles) of p columns. */
export interface RegressionStats {
  p: number;
  n: number;
  sum: Float64Array;
  cross: Float64Array;
}

/** Empty statistics of p columns. */
export function emptyStats(p: number): RegressionStats {
  return { p, n: 0, sum: new Float64Array(p), cross: new Float64Array(p * p) };
}

/** Rows gathered per pass of `accumulate`. */
const CHUNK = 1024;

/**
 * Running sums of `accumulate`, continued across calls: each sum (Σx_a, and
 * Σx_a·x_b for b ≤ a) runs over the rows in the order they are added, so rows
 * added in several calls give the same bits as one call over all of them. The
 * cross-products run in the WebAssembly kernel `cross` (wasm/kernels.wat: one
 * f64x2 lane per sum, rows in order) over rows gathered row-major into the
 * accumulator's own kernel memory.
 */
export interface StatsAccumulator {
  p: number;
  n: number;
  sum: Float64Array;
  /** Row stride of `part` and `g`: p plus the kernel's padding (kernels.wat, cross). */
  stride: number;
  /** Σxxᵀ (lower triangle read; p + 1 rows) in kernel memory. */
  part: Float64Array;
  /** Rows gathered per pass (at most CHUNK). */
  chunk: number;
  /** Gather buffer: row r of a pass at g[r·stride …] (columns p.. are padding). */
  g: Float64Array;
  kernels: KernelExports;
  at: { g: number; part: number };
}

/** An empty accumulator of p columns, gathering up to `chunk` rows per pass. */
export function statsAccumulator(p: number, chunk = CHUNK): StatsAccumulator {
  const n = Math.max(1, Math.min(chunk, CHUNK));
  const stride = p + 4;
  const gBytes = n * stride * 8, partBytes = (p + 1) * stride * 8;
  const mem = new KernelMemory(gBytes + partBytes + 32);
  const at = { g: mem.alloc(gBytes), part: mem.alloc(partBytes) };
  return {
    p,
    n: 0,
    sum: new Float64Array(p),
    stride,
    part: new Float64Array(mem.buffer, at.part, (p + 1) * stride),
    chunk: n,
    g: new Float64Array(mem.buffer, at.g, n * stride),
    kernels: mem.kernels,
    at,
  };
}

/**
 * Adds the rows `idx[0..m)` of `x` (column c's rows at x[c·xStride + x0 …]) to
 * the running sums, in the order of `idx`.
 */
export function accumulateRows(
  acc: StatsAccumulator,
  x: Float64Array,
  xStride: number,
  x0: number,
  idx: Int32Array,
  m: number,
): void {
  const { p, g, stride, sum, chunk } = acc;
  for (let r0 = 0; r0 < m; r0 += chunk) {
    const len = Math.min(chunk, m - r0);
    for (let a = 0; a < p; a++) {
      const base = a * xStride + x0;
      let t = sum[a];
      for (let r = 0; r < len; r++) t += g[r * stride + a] = x[base + idx[r0 + r]];
      sum[a] = t;
    }
    acc.kernels.cross(p, len, acc.at.g, stride, acc.at.part, stride);
  }
  acc.n += m;
}

/** Adds the accumulator's sums to `stats`, in place. */
export function addAccumulated(stats: RegressionStats, acc: StatsAccumulator): void {
  const { p, sum, part, stride } = acc;
  for (let a = 0; a < p; a++) {
    stats.sum[a] += sum[a];
    for (let b = 0; b <= a; b++) {
      const v = part[a * stride + b];
      stats.cross[a * p + b] += v;
      if (a !== b) stats.cross[b * p + a] += v;
    }
  }
  stats.n += acc.n;
}

/**
 * Adds rows `[from, to)` of column-major `x` (rows × p) where `use[i]` is 1
 * (every row when `use` is null) to `stats`, in place.
 */
export function accumulate(
  stats: RegressionStats,
  x: Float64Array,
  rows: number,
  from: number,
  to: number,
  use: Uint8Array | null,
): void {
  let m = 0;
  const idx = new Int32Array(to - from);
  for (let i = from; i < to; i++) if (!use || use[i]) idx[m++] = i;
  if (m === 0) return;
  const acc = statsAccumulator(stats.p, m);
  accumulateRows(acc, x, rows, 0, idx, m);
  addAccumulated(stats, acc);
}

/** a − b (statistics of a's rows that are not b's). */
export function subtractStats(a: RegressionStats, b: RegressionStats): RegressionStats {
  return {
    p: a.p,
    n: a.n - b.n,
    sum: a.sum.map((v, i) => v - b.sum[i]),
    cross: a.cross.map((v, i) => v - b.cross[i]),
  };
}

/** a + w·b, in place on a (w = 1 merges; a weight < 1 ages b). */
export function addStats(a: RegressionStats, b: RegressionStats, w = 1): void {
  a.n += w * b.n;
  for (let i = 0; i < a.p; i++) a.sum[i] += w * b.sum[i];
  for (let i = 0; i < a.cross.length; i++) a.cross[i] += w * b.cross[i];
}

/** A fitted linear predictor of one target: y ≈ intercept + Σ coef[k]·x[predictors[k]]. */
export interface LinearFit {
  intercept: number;
  /** Length p, zero for columns that are not predictors. */
  coef: Float64Array;
}

/** Centred covariance of the statistics' columns (p×p row-major) and their means. */
export interface StatsCovariance {
  p: number;
  n: number;
  mean: Float64Array;
  cov: Float64Array;
}

/** Means Σx/n and covariances Σxxᵀ/n − x̄x̄ᵀ of the statistics (0 when n ≤ 1; means 0 when n = 0). */
export function covarianceOf(stats: RegressionStats): StatsCovariance {
  const { p, n } = stats;
  const mean = new Float64Array(p), cov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) mean[a] = n > 0 ? stats.sum[a] / n : 0;
  if (n > 1) {
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) cov[a * p + b] = stats.cross[a * p + b] / n - mean[a] * mean[b];
    }
  }
  return { p, n, mean, cov };
}

/**
 * Ridge regression of column `target` on `predictors` from the statistics:
 * centred covariance C, β = (C_PP + α·I)⁻¹ C_Pt, intercept = ȳ − β·x̄ (the
 * columns are expected on comparable scales, e.g. standardised). Degenerate
 * input (n < 2 or a non-SPD system) gives β = 0 and the target mean.
 */
export function ridgeFromStats(
  stats: RegressionStats,
  target: number,
  predictors: readonly number[],
  alpha: number,
): LinearFit {
  return ridgeFromCovariance(covarianceOf(stats), target, predictors, alpha);
}

/** `ridgeFromStats` from the statistics' covariance (one `covarianceOf` serves every target). */
export function ridgeFromCovariance(
  c: StatsCovariance,
  target: number,
  predictors: readonly number[],
  alpha: number,
): LinearFit {
  const { p, n, mean, cov } = c;
  const coef = new Float64Array(p);
  const q = predictors.length;
  if (n < 2 || q === 0) return { intercept: mean[target], coef };
  const a = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let r = 0; r < q; r++) {
    const row = predictors[r] * p;
    for (let k = 0; k < q; k++) a[r * q + k] = cov[row + predictors[k]];
    a[r * q + r] += alpha;
    b[r] = cov[row + target];
  }
  const l = cholesky(a, q);
  if (l === null) return { intercept: mean[target], coef };
  const beta = choleskySolve(l, q, b);
  let intercept = mean[target];
  for (let r = 0; r < q; r++) {
    coef[predictors[r]] = beta[r];
    intercept -= beta[r] * mean[predictors[r]];
  }
  return { intercept, coef };
}
