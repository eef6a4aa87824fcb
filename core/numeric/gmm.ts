/**
 * Gaussian mixture anomaly model: columns standardised with the training mean and
 * standard deviation (constant columns dropped, mask kept), EM (see _gmm_em.ts)
 * with k-means++ initialisation for every k in [kMin, kMax], k chosen by the
 * lowest BIC = −2 ln L + p ln n (Schwarz, Ann. Stat. 6(2), 1978), best of nInit
 * seeded runs per k. Score = −log p(x) per row on standardised inputs.
 *
 * `regCovar` is added to every variance on the standardised scale (unit variance),
 * so 1e-6 is a relative floor. Fitting uses at most `maxFitRows` rows drawn
 * without replacement (seeded); scoring uses every row. Non-finite inputs are
 * replaced by the training column medians. Degenerate input (no rows, every column
 * constant, every EM run failing) gives a model without parameters that scores 0.
 */
import type { Rng } from "../rng.ts";
import { columnMedians } from "./_row_major.ts";
import { sampleWithoutReplacement } from "./_sample.ts";
import {
  type CovarianceType,
  type EmResult,
  type GmmParams,
  logProbRows,
  mahalanobis2,
  runEm,
} from "./_gmm_em.ts";

export { type CovarianceType, type GmmParams, logProbRows, makeGmmParams } from "./_gmm_em.ts";

/** Free parameters of a k-component mixture in d dimensions (means, covariances, k − 1 weights). */
export function gmmParameterCount(k: number, d: number, covariance: CovarianceType): number {
  const cov = covariance === "diag" ? k * d : (k * d * (d + 1)) / 2;
  return k * d + cov + k - 1;
}

/** Bayesian information criterion −2 ln L + p ln n for a total log-likelihood over n rows. */
export function gmmBic(
  totalLogLikelihood: number,
  n: number,
  k: number,
  d: number,
  covariance: CovarianceType,
): number {
  return -2 * totalLogLikelihood + gmmParameterCount(k, d, covariance) * Math.log(n);
}

/** Options of {@link fitGmm}. */
export interface GmmOptions {
  covariance?: CovarianceType;
  /** Added to each variance on the standardised scale (default 1e-6). */
  regCovar?: number;
  /** Smallest k tried (default 1). */
  kMin?: number;
  /** Largest k tried (default 5); clipped to the fit rows. */
  kMax?: number;
  /** Seeded EM runs per k; the highest likelihood wins (default 1). */
  nInit?: number;
  /** EM iterations per run (default 100). */
  maxIter?: number;
  /** Convergence threshold on the change of mean log-likelihood per row (default 1e-3). */
  tol?: number;
  /** At most this many (seeded, sampled) rows are used to fit (default 10000). */
  maxFitRows?:
    number; /** The columns' medians when already known (NaN for an empty column): spares recomputing them. */
  medians?: Float64Array;
}

/** A fitted mixture with its scaler and column mask; plain data (save = the object itself). */
export type GmmModel = {
  /** Input columns expected at scoring. */
  cols: number;
  /** Indices of the non-constant input columns the mixture uses. */
  keep: Int32Array;
  /** Training mean and standard deviation of each kept column. */
  mean: Float64Array;
  scale: Float64Array;
  /** Training median of every input column (imputation). */
  medians: Float64Array;
  /** Fitted mixture on the kept, standardised columns; null when degenerate. */
  params: GmmParams | null;
  /** k values tried and their BIC (NaN where EM failed). */
  kTried: Int32Array;
  bic: Float64Array;
  /** Rows the mixture was fitted on. */
  fitRows: number;
};

/** Rows standardised at a time by `scoreGmm`. */
const SCORE_BLOCK = 2048;

function standardisedRows(
  model: Pick<GmmModel, "keep" | "mean" | "scale" | "medians">,
  values: Float64Array,
  rows: number,
  rowIdx: Int32Array | null,
  out?: Float64Array,
): Float64Array {
  const d = model.keep.length;
  const n = rowIdx ? rowIdx.length : rows;
  const x = out ? out.subarray(0, n * d) : new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const i = rowIdx ? rowIdx[r] : r;
    for (let a = 0; a < d; a++) {
      const j = model.keep[a];
      let v = values[j * rows + i];
      if (v - v !== 0) v = model.medians[j];
      x[r * d + a] = (v - model.mean[a]) / model.scale[a];
    }
  }
  return x;
}

/** Fits the mixture on column-major `values` (`rows × cols`), choosing k by BIC. */
export function fitGmm(
  values: Float64Array,
  rows: number,
  cols: number,
  rng: Rng,
  options: GmmOptions = {},
): GmmModel {
  const covariance = options.covariance ?? "diag";
  const reg = options.regCovar ?? 1e-6;
  const medians = options.medians
    ? Float64Array.from(options.medians, (m) => (Number.isNaN(m) ? 0 : m)) // as columnMedians
    : columnMedians(values, rows, cols);
  const keepList: number[] = [], meanList: number[] = [], scaleList: number[] = [];
  for (let j = 0; j < cols; j++) {
    let s = 0, n = 0;
    for (let i = 0; i < rows; i++) {
      const v = values[j * rows + i];
      if (v - v === 0) {
        s += v;
        n++;
      }
    }
    if (n < 2) continue;
    const m = s / n;
    let s2 = 0;
    for (let i = 0; i < rows; i++) {
      const v = values[j * rows + i];
      if (v - v === 0) s2 += (v - m) * (v - m);
    }
    const sd = Math.sqrt(s2 / n);
    if (sd > 1e-12 * Math.max(1, Math.abs(m))) {
      keepList.push(j);
      meanList.push(m);
      scaleList.push(sd);
    }
  }
  const base = {
    cols,
    keep: Int32Array.from(keepList),
    mean: Float64Array.from(meanList),
    scale: Float64Array.from(scaleList),
    medians,
  };
  const fitIdx = sampleWithoutReplacement(rows, options.maxFitRows ?? 10000, rng.fork("rows"));
  const n = fitIdx.length, d = base.keep.length;
  const kMin = Math.max(1, options.kMin ?? 1);
  const kMax = Math.min(Math.max(kMin, options.kMax ?? 5), n);
  const kTried: number[] = [], bics: number[] = [];
  let best: EmResult | null = null, bestBic = Infinity;
  if (d > 0 && n >= 2) {
    const x = standardisedRows(base, values, rows, fitIdx);
    for (let k = kMin; k <= kMax; k++) {
      const kr = rng.fork(`k${k}`);
      let run: EmResult | null = null;
      for (let r = 0; r < Math.max(1, options.nInit ?? 1); r++) {
        const res = runEm(
          x,
          n,
          d,
          k,
          covariance,
          reg,
          options.maxIter ?? 100,
          options.tol ?? 1e-3,
          kr,
        );
        if (res && (run === null || res.logLikelihood > run.logLikelihood)) run = res;
      }
      const bic = run ? gmmBic(run.logLikelihood, n, k, d, covariance) : NaN;
      kTried.push(k);
      bics.push(bic);
      if (run && bic < bestBic) {
        bestBic = bic;
        best = run;
      }
    }
  }
  return {
    ...base,
    params: best ? best.params : null,
    kTried: Int32Array.from(kTried),
    bic: Float64Array.from(bics),
    fitRows: n,
  };
}

/** Scores of {@link scoreGmm}. */
export interface GmmScores {
  /** −log p(x) per row (standardised scale); 0 for a degenerate model. */
  scores: Float64Array;
  /**
   * Column-major `rows × cols`, non-negative: each kept column's share of the squared
   * Mahalanobis distance to the most responsible component. diag: (x_j − μ_j)²/σ_j²;
   * full: max(0, u_j (Σ⁻¹u)_j), u = x − μ, rescaled to sum to uᵀΣ⁻¹u. Dropped columns get 0.
   */
  contributions?: Float64Array;
}

/**
 * Scores column-major `values` (`rows × model.cols`), standardising SCORE_BLOCK
 * rows at a time (no rows × d copy).
 */
export function scoreGmm(
  model: GmmModel,
  values: Float64Array,
  rows: number,
  options: { contributions?: boolean } = {},
): GmmScores {
  const scores = new Float64Array(rows);
  const contributions = options.contributions ? new Float64Array(rows * model.cols) : undefined;
  const p = model.params;
  if (p === null) return { scores, contributions };
  const block = new Int32Array(Math.min(rows, SCORE_BLOCK));
  const buf = new Float64Array(block.length * model.keep.length); // one working block, reused
  for (let r0 = 0; r0 < rows; r0 += SCORE_BLOCK) {
    const nb = Math.min(SCORE_BLOCK, rows - r0);
    const idx = block.subarray(0, nb);
    for (let i = 0; i < nb; i++) idx[i] = r0 + i;
    const x = standardisedRows(model, values, rows, idx, buf);
    const lp = logProbRows(p, x, nb);
    for (let i = 0; i < nb; i++) scores[r0 + i] = -lp[i];
    if (contributions) addContributions(p, model.keep, x, nb, contributions, rows, r0);
  }
  return { scores, contributions };
}

/** Contributions of the `nb` block rows `x` (row-major) into `out` (column-major `rows × ·`) from row `r0`. */
function addContributions(
  p: GmmParams,
  keep: Int32Array,
  x: Float64Array,
  nb: number,
  out: Float64Array,
  rows: number,
  r0: number,
): void {
  const d = p.d, k = p.k;
  const z = new Float64Array(d), u = new Float64Array(d), v = new Float64Array(d);
  for (let i = 0; i < nb; i++) {
    let c = 0, bestLp = -Infinity;
    for (let q = 0; q < k; q++) {
      const l = p.logNorm[q] - 0.5 * mahalanobis2(p, x, i, q, z);
      if (l > bestLp) {
        bestLp = l;
        c = q;
      }
    }
    const mo = c * d;
    if (p.covariance === "diag") {
      for (let a = 0; a < d; a++) {
        const t = (x[i * d + a] - p.means[mo + a]) / p.chol[mo + a];
        out[keep[a] * rows + r0 + i] = t * t;
      }
      continue;
    }
    // v = Σ⁻¹u by forward (L y = u) and back (Lᵀ v = y) substitution.
    const L = p.chol, lo = c * d * d;
    for (let a = 0; a < d; a++) u[a] = x[i * d + a] - p.means[mo + a];
    for (let a = 0; a < d; a++) {
      let s = u[a];
      for (let q = 0; q < a; q++) s -= L[lo + a * d + q] * z[q];
      z[a] = s / L[lo + a * d + a];
    }
    for (let a = d - 1; a >= 0; a--) {
      let s = z[a];
      for (let q = a + 1; q < d; q++) s -= L[lo + q * d + a] * v[q];
      v[a] = s / L[lo + a * d + a];
    }
    let total = 0, pos = 0;
    for (let a = 0; a < d; a++) {
      const t = u[a] * v[a];
      total += t;
      if (t > 0) pos += t;
    }
    const f = pos > 0 ? total / pos : 0;
    for (let a = 0; a < d; a++) {
      const t = u[a] * v[a];
      out[keep[a] * rows + r0 + i] = t > 0 ? t * f : 0;
    }
  }
}
