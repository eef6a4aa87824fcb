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
  for (let a = 0; a < p; a++) {
    const ca = cols[a];
    for (let b = 0; b <= a; b++) {
      const cb = cols[b];
      let s = 0;
      for (let r = 0; r < m; r++) s += ca[r] * cb[r];
      stats.cross[a * p + b] += s;
      if (a !== b) stats.cross[b * p + a] += s;
    }
  }
  stats.n += m;
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
  const { p, n } = stats;
  const coef = new Float64Array(p);
  const mean = (a: number) => (n > 0 ? stats.sum[a] / n : 0);
  const cov = (a: number, b: number) => n > 1 ? stats.cross[a * p + b] / n - mean(a) * mean(b) : 0;
  const q = predictors.length;
  if (n < 2 || q === 0) return { intercept: mean(target), coef };
  const a = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let r = 0; r < q; r++) {
    for (let c = 0; c < q; c++) a[r * q + c] = cov(predictors[r], predictors[c]);
    a[r * q + r] += alpha;
    b[r] = cov(predictors[r], target);
  }
  const l = cholesky(a, q);
  if (l === null) return { intercept: mean(target), coef };
  const beta = choleskySolve(l, q, b);
  let intercept = mean(target);
  for (let r = 0; r < q; r++) {
    coef[predictors[r]] = beta[r];
    intercept -= beta[r] * mean(predictors[r]);
  }
  return { intercept, coef };
}
