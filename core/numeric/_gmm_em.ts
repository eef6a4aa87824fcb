/**
 * Gaussian mixture internals: component log-densities, log-sum-exp, EM
 * (Dempster, Laird & Rubin, JRSS-B 39(1), 1977; Bishop, PRML §9.2). Row-major
 * data `n × d`. Private to core/numeric; the public API is gmm.ts.
 */
import type { Rng } from "../rng.ts";
import { cholesky, logDetFromCholesky } from "./linalg.ts";
import { kmeans } from "./kmeans.ts";

/** Covariance structure of each component. */
export type CovarianceType = "diag" | "full";

/** Mixture parameters; plain data. */
export type GmmParams = {
  k: number;
  d: number;
  covariance: CovarianceType;
  /** Mixing weights, length k, summing to 1. */
  weights: Float64Array;
  /** Row-major means, `k × d`. */
  means: Float64Array;
  /** diag: variances `k × d`; full: covariances `k × d × d` (row-major blocks). */
  covariances: Float64Array;
  /** diag: standard deviations `k × d`; full: lower Cholesky factors `k × d × d`. */
  chol: Float64Array;
  /** log w_c − ½ (d ln 2π + ln det Σ_c), per component. */
  logNorm: Float64Array;
};

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Builds parameters from weights, means and covariances, factorising each
 * covariance; a full covariance that is not positive definite gets `jitter`
 * added to its diagonal (×10 up to 6 times); null if it still fails.
 */
export function makeGmmParams(
  weights: Float64Array,
  means: Float64Array,
  covariances: Float64Array,
  k: number,
  d: number,
  covariance: CovarianceType,
  jitter = 1e-9,
): GmmParams | null {
  const chol = new Float64Array(covariances.length);
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let logDet = 0;
    if (covariance === "diag") {
      for (let j = 0; j < d; j++) {
        const v = covariances[c * d + j];
        if (!(v > 0)) return null;
        chol[c * d + j] = Math.sqrt(v);
        logDet += Math.log(v);
      }
    } else {
      const block = covariances.subarray(c * d * d, (c + 1) * d * d);
      let l = cholesky(block, d);
      for (let t = 0, add = jitter; l === null && t < 6; t++, add *= 10) {
        for (let j = 0; j < d; j++) block[j * d + j] += add;
        l = cholesky(block, d);
      }
      if (l === null) return null;
      chol.set(l, c * d * d);
      logDet = logDetFromCholesky(l, d);
    }
    logNorm[c] = Math.log(weights[c]) - 0.5 * (d * LOG_2PI + logDet);
  }
  return { k, d, covariance, weights, means, covariances, chol, logNorm };
}

/** Squared Mahalanobis distance of row `i` of `x` to component `c`; `z` is scratch of length d. */
export function mahalanobis2(
  p: GmmParams,
  x: Float64Array,
  i: number,
  c: number,
  z: Float64Array,
): number {
  const d = p.d, xo = i * d, mo = c * d;
  let s = 0;
  if (p.covariance === "diag") {
    for (let j = 0; j < d; j++) {
      const t = (x[xo + j] - p.means[mo + j]) / p.chol[mo + j];
      s += t * t;
    }
    return s;
  }
  const lo = c * d * d, L = p.chol;
  for (let r = 0; r < d; r++) {
    let t = x[xo + r] - p.means[mo + r];
    const row = lo + r * d;
    for (let q = 0; q < r; q++) t -= L[row + q] * z[q];
    t /= L[row + r];
    z[r] = t;
    s += t * t;
  }
  return s;
}

/**
 * Per row, log p(x) = logsumexp_c (log w_c + log N(x | μ_c, Σ_c)); when `resp`
 * (`n × k`) is given it receives the responsibilities.
 */
export function logProbRows(
  p: GmmParams,
  x: Float64Array,
  n: number,
  resp?: Float64Array,
): Float64Array {
  const k = p.k;
  const out = new Float64Array(n);
  const lp = new Float64Array(k);
  const z = new Float64Array(p.d);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = p.logNorm[c] - 0.5 * mahalanobis2(p, x, i, c, z);
      lp[c] = v;
      if (v > mx) mx = v;
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(lp[c] - mx);
    const lse = mx + Math.log(s);
    out[i] = lse;
    if (resp) { for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(lp[c] - lse); }
  }
  return out;
}

/** M-step: weights, means and covariances (+ `reg` on the diagonal) from responsibilities. */
export function mStep(
  x: Float64Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  covariance: CovarianceType,
  reg: number,
): GmmParams | null {
  const nk = new Float64Array(k).fill(10 * Number.EPSILON);
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      nk[c] += r;
      for (let j = 0; j < d; j++) means[c * d + j] += r * x[i * d + j];
    }
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= nk[c];
  const full = covariance === "full";
  const covs = new Float64Array(full ? k * d * d : k * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      if (r < 1e-300) continue;
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[c * d + j];
      if (full) {
        const b = c * d * d;
        for (let a = 0; a < d; a++) {
          const ra = r * diff[a], row = b + a * d;
          for (let q = 0; q <= a; q++) covs[row + q] += ra * diff[q];
        }
      } else {
        for (let j = 0; j < d; j++) covs[c * d + j] += r * diff[j] * diff[j];
      }
    }
  }
  for (let c = 0; c < k; c++) {
    if (full) {
      const b = c * d * d;
      for (let a = 0; a < d; a++) {
        for (let q = 0; q <= a; q++) {
          const v = covs[b + a * d + q] / nk[c] + (a === q ? reg : 0);
          covs[b + a * d + q] = v;
          covs[b + q * d + a] = v;
        }
      }
    } else {
      for (let j = 0; j < d; j++) covs[c * d + j] = covs[c * d + j] / nk[c] + reg;
    }
  }
  const weights = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) total += nk[c];
  for (let c = 0; c < k; c++) weights[c] = nk[c] / total;
  return makeGmmParams(weights, means, covs, k, d, covariance, Math.max(reg, 1e-9));
}

/** Result of one EM run. */
export interface EmResult {
  params: GmmParams;
  /** Total log-likelihood of the fit rows. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * EM from a hard k-means initialisation (best of 3 seeded k-means++/Lloyd runs); stops when the mean log-likelihood
 * per row changes by less than `tol`. Null when a covariance cannot be factorised.
 */
export function runEm(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  covariance: CovarianceType,
  reg: number,
  maxIter: number,
  tol: number,
  rng: Rng,
): EmResult | null {
  const init = kmeans(x, n, d, k, rng, { nInit: 3, maxIter: 30 });
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + init.labels[i]] = 1;
  let params = mStep(x, n, d, resp, k, covariance, reg);
  if (params === null) return null;
  let prev = -Infinity, ll = -Infinity, iterations = 0, converged = false;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    const lp = logProbRows(params, x, n, resp);
    ll = 0;
    for (let i = 0; i < n; i++) ll += lp[i];
    const next = mStep(x, n, d, resp, k, covariance, reg);
    if (next === null) break;
    params = next;
    if (Math.abs(ll / n - prev) < tol) {
      converged = true;
      break;
    }
    prev = ll / n;
  }
  const lp = logProbRows(params, x, n);
  ll = 0;
  for (let i = 0; i < n; i++) ll += lp[i];
  return { params, logLikelihood: ll, iterations, converged };
}
