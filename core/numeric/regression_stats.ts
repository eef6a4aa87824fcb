/**
 * Sufficient statistics of a multi-output linear regression (count, column sums
 * and cross-products of the design columns) accumulated over row ranges, so
 * contiguous folds are fitted by subtraction and new rows are added without the
 * old ones (Chan, Golub & LeVeque 1983 for the pooled form; the same statistics
 * drive recursive least squares). `ridgeFromStats` fits one target on a subset
 * of the columns from them.
 */
import { cholesky, choleskySolve } from "./linalg.ts";

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
  const p = stats.p;
  let idx: Int32Array;
  if (use) {
    const list: number[] = [];
    for (let i = from; i < to; i++) if (use[i]) list.push(i);
    idx = Int32Array.from(list);
  } else {
    idx = new Int32Array(to - from);
    for (let i = 0; i < idx.length; i++) idx[i] = from + i;
  }
  const m = idx.length;
  if (m === 0) return;
  const cols: Float64Array[] = [];
  for (let a = 0; a < p; a++) {
    const c = new Float64Array(m);
    const base = a * rows;
    let s = 0;
    for (let r = 0; r < m; r++) s += c[r] = x[base + idx[r]];
    cols.push(c);
    stats.sum[a] += s;
  }
  // Each cross-product is one sum over the rows in order; eight of them (two
  // columns a, a+1 × four columns b..b+3) run side by side, so each pass reads
  // six columns for eight sums.
  const add = (a: number, b: number, s: number) => {
    stats.cross[a * p + b] += s;
    if (a !== b) stats.cross[b * p + a] += s;
  };
  for (let a = 0; a < p; a += 2) {
    const ca = cols[a];
    if (a + 1 === p) {
      for (let b = 0; b <= a; b++) add(a, b, dot(ca, cols[b], m));
      break;
    }
    const cA = cols[a + 1];
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const c0 = cols[b], c1 = cols[b + 1], c2 = cols[b + 2], c3 = cols[b + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let r = 0; r < m; r++) {
        const v = ca[r], w = cA[r];
        const u0 = c0[r], u1 = c1[r], u2 = c2[r], u3 = c3[r];
        s0 += v * u0;
        s1 += v * u1;
        s2 += v * u2;
        s3 += v * u3;
        t0 += w * u0;
        t1 += w * u1;
        t2 += w * u2;
        t3 += w * u3;
      }
      add(a, b, s0);
      add(a, b + 1, s1);
      add(a, b + 2, s2);
      add(a, b + 3, s3);
      add(a + 1, b, t0);
      add(a + 1, b + 1, t1);
      add(a + 1, b + 2, t2);
      add(a + 1, b + 3, t3);
    }
    for (; b <= a; b++) {
      add(a, b, dot(ca, cols[b], m));
      add(a + 1, b, dot(cA, cols[b], m));
    }
    add(a + 1, a + 1, dot(cA, cA, m));
  }
  stats.n += m;
}

/** Σ_r x[r]·y[r] over r < m, in order. */
function dot(x: Float64Array, y: Float64Array, m: number): number {
  let s = 0;
  for (let r = 0; r < m; r++) s += x[r] * y[r];
  return s;
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
