/**
 * PCA monitoring statistics on standardised data (column-major rows × d):
 * principal axes from the eigen-decomposition of the sample covariance
 * (divisor n − 1, as sklearn's explained_variance_), k retained components,
 * SPE (Q) = ‖x − x̂‖² and Hotelling T² = Σ_k t_k²/λ_k, with control limits:
 * T² from the F distribution and SPE from Jackson & Mudholkar, "Control
 * procedures for residuals associated with principal component analysis",
 * Technometrics 21 (1979) 341–349 (textbook form, θ_i = Σ residual λ^i).
 */
import { type ColumnTransform, readColumn } from "./column_transform.ts";
import { type CentredMoments, covariance, covarianceFromMoments } from "./covariance.ts";
import { symmetricEigen } from "./linalg.ts";
import { chiSquareQuantile, fQuantile, normalQuantile } from "./special.ts";

const BLOCK = 64;

/** A fitted PCA model. */
export interface PcaModel {
  /** Number of variables. */
  d: number;
  /** Retained components. */
  k: number;
  /** Training rows. */
  n: number;
  /** Column-major d×k: loadings[c * d + j] = weight of variable j in component c. */
  loadings: Float64Array;
  /** All d eigenvalues of the covariance, descending, negatives clamped to 0. */
  eigenvalues: Float64Array;
}

/** How many components to keep: `nComponents` > 0 wins, else the smallest k reaching `variance`. */
export interface PcaOptions {
  nComponents: number;
  variance: number;
}

/**
 * Fits PCA on the d columns of `z`, read through `t` when given (e.g. the
 * standardisation, applied on the fly; `moments` of those columns, when given,
 * spare computing their covariance). k is capped at max(1, min(d − 1, n − 1))
 * so the residual space is never empty when d ≥ 2 (SPE stays meaningful). d = 0
 * gives k = 0 (all scores 0).
 */
export function fitPca(
  z: Float64Array,
  rows: number,
  d: number,
  opts: PcaOptions,
  t?: ColumnTransform,
  moments?: CentredMoments,
): PcaModel {
  if (d === 0 || rows < 2) {
    return { d, k: 0, n: rows, loadings: new Float64Array(0), eigenvalues: new Float64Array(d) };
  }
  const cov = moments ? covarianceFromMoments(moments, 1) : covariance(z, rows, d, 1, t);
  const { values, vectors } = symmetricEigen(cov, d);
  const eigenvalues = values.map((v) => (v > 0 ? v : 0));
  const kMax = Math.max(1, Math.min(d - 1, rows - 1));
  const k = Math.min(kMax, chooseComponents(eigenvalues, opts));
  return { d, k, n: rows, loadings: vectors.slice(0, k * d), eigenvalues };
}

/** Smallest k whose cumulative explained share reaches `variance` (or `nComponents` when > 0). */
export function chooseComponents(eigenvalues: Float64Array, opts: PcaOptions): number {
  if (opts.nComponents > 0) return Math.floor(opts.nComponents);
  let total = 0;
  for (const v of eigenvalues) total += v;
  if (!(total > 0)) return 1;
  let acc = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    acc += eigenvalues[k];
    if (acc / total >= opts.variance - 1e-12) return k + 1;
  }
  return eigenvalues.length;
}

/** Share of the total variance the retained components explain. */
export function explainedShare(model: PcaModel): number {
  let total = 0, kept = 0;
  model.eigenvalues.forEach((v, i) => {
    total += v;
    if (i < model.k) kept += v;
  });
  return total > 0 ? kept / total : 0;
}

/** Per-row SPE and T², and optionally per-variable contributions (column-major rows × d). */
export interface PcaScores {
  spe: Float64Array;
  t2: Float64Array;
  /** r_j² per variable; sums to SPE. */
  speContributions?: Float64Array;
  /** max(0, x_j Σ_k t_k p_jk / λ_k) per variable (unclipped terms sum to T²). */
  t2Contributions?: Float64Array;
}

/**
 * Scores standardised rows. λ_k below 1e-12·λ_1 is floored there so T² stays
 * finite. T² contributions follow the variable decomposition of Miller, Swanson
 * & Heckler (1998): c_j = x_j Σ_k t_k p_jk/λ_k, clipped at 0 (documented; the
 * clipped sum can exceed T² when some terms are negative).
 * `contribColumns` (optional) places kept variable j's contributions in column
 * `contribColumns[j]` of `contribCols` output columns (−1: not written; other
 * columns stay 0), so callers need no second copy into their frame's layout.
 * With `t`, the d variables are read from `z` through it (e.g. the
 * standardisation) one row block at a time: no standardised copy.
 */
export function scorePca(
  model: PcaModel,
  z: Float64Array,
  rows: number,
  contributions = false,
  contribColumns?: Int32Array,
  contribCols?: number,
  t?: ColumnTransform,
): PcaScores {
  const { d, k, loadings } = model;
  const spe = new Float64Array(rows);
  const t2 = new Float64Array(rows);
  const outCols = contribColumns ? contribCols ?? d : d;
  const speC = contributions ? new Float64Array(rows * outCols) : undefined;
  const t2C = contributions ? new Float64Array(rows * outCols) : undefined;
  const floor = 1e-12 * Math.max(model.eigenvalues[0] ?? 0, 1e-300);
  const invLambda = new Float64Array(k);
  for (let c = 0; c < k; c++) invLambda[c] = 1 / Math.max(model.eigenvalues[c], floor);
  // Rows in blocks; inside a block every loop runs over contiguous rows of one
  // column. Loops are unrolled over 4 variables / components with each sum still
  // accumulated in the same order as the plain loop, so results are bit-identical
  // to it while loads and stores per multiply-add drop about threefold.
  const tb = new Float64Array(k * BLOCK);
  const zb = new Float64Array(d * BLOCK);
  const rec = new Float64Array(BLOCK);
  const w = new Float64Array(BLOCK);
  const d4 = d - (d % 4), k4 = k - (k % 4);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const nb = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < d; j++) readColumn(z, rows, t, j, r0, nb, zb, j * BLOCK);
    tb.fill(0);
    // t_c = Σ_j z_j p_jc (j ascending)
    for (let c = 0; c < k; c++) {
      const tc = c * BLOCK, pc = c * d;
      let j = 0;
      for (; j < d4; j += 4) {
        const p0 = loadings[pc + j], p1 = loadings[pc + j + 1];
        const p2 = loadings[pc + j + 2], p3 = loadings[pc + j + 3];
        const z0 = j * BLOCK, z1 = z0 + BLOCK, z2 = z1 + BLOCK, z3 = z2 + BLOCK;
        for (let i = 0; i < nb; i++) {
          tb[tc + i] = tb[tc + i] + zb[z0 + i] * p0 + zb[z1 + i] * p1 + zb[z2 + i] * p2 +
            zb[z3 + i] * p3;
        }
      }
      for (; j < d; j++) {
        const p = loadings[pc + j], zj = j * BLOCK;
        for (let i = 0; i < nb; i++) tb[tc + i] += zb[zj + i] * p;
      }
      const il = invLambda[c];
      for (let i = 0; i < nb; i++) t2[r0 + i] += tb[tc + i] * tb[tc + i] * il;
    }
    for (let j = 0; j < d; j++) {
      rec.fill(0);
      let c = 0;
      if (t2C) {
        w.fill(0);
        for (; c < k4; c += 4) {
          const p0 = loadings[c * d + j], p1 = loadings[(c + 1) * d + j];
          const p2 = loadings[(c + 2) * d + j], p3 = loadings[(c + 3) * d + j];
          const l0 = p0 * invLambda[c], l1 = p1 * invLambda[c + 1];
          const l2 = p2 * invLambda[c + 2], l3 = p3 * invLambda[c + 3];
          const t0 = c * BLOCK, t1 = t0 + BLOCK, tt2 = t1 + BLOCK, t3 = tt2 + BLOCK;
          for (let i = 0; i < nb; i++) {
            rec[i] = rec[i] + tb[t0 + i] * p0 + tb[t1 + i] * p1 + tb[tt2 + i] * p2 +
              tb[t3 + i] * p3;
          }
          for (let i = 0; i < nb; i++) {
            w[i] = w[i] + tb[t0 + i] * l0 + tb[t1 + i] * l1 + tb[tt2 + i] * l2 + tb[t3 + i] * l3;
          }
        }
        for (; c < k; c++) {
          const p = loadings[c * d + j], tc = c * BLOCK, pl = p * invLambda[c];
          for (let i = 0; i < nb; i++) {
            rec[i] += tb[tc + i] * p;
            w[i] += tb[tc + i] * pl;
          }
        }
      } else {
        for (; c < k4; c += 4) {
          const p0 = loadings[c * d + j], p1 = loadings[(c + 1) * d + j];
          const p2 = loadings[(c + 2) * d + j], p3 = loadings[(c + 3) * d + j];
          const t0 = c * BLOCK, t1 = t0 + BLOCK, tt2 = t1 + BLOCK, t3 = tt2 + BLOCK;
          for (let i = 0; i < nb; i++) {
            rec[i] = rec[i] + tb[t0 + i] * p0 + tb[t1 + i] * p1 + tb[tt2 + i] * p2 +
              tb[t3 + i] * p3;
          }
        }
        for (; c < k; c++) {
          const p = loadings[c * d + j], tc = c * BLOCK;
          for (let i = 0; i < nb; i++) rec[i] += tb[tc + i] * p;
        }
      }
      const zj = j * BLOCK;
      const oc = contribColumns ? contribColumns[j] : j;
      for (let i = 0; i < nb; i++) {
        const r = zb[zj + i] - rec[i];
        spe[r0 + i] += r * r;
      }
      if (speC && t2C && oc >= 0) {
        const o = oc * rows + r0;
        for (let i = 0; i < nb; i++) {
          const x = zb[zj + i];
          const r = x - rec[i];
          speC[o + i] = r * r;
          const cj = x * w[i];
          t2C[o + i] = cj > 0 ? cj : 0;
        }
      }
    }
  }
  return { spe, t2, speContributions: speC, t2Contributions: t2C };
}

/** Control limits at confidence `alpha` (e.g. 0.99). */
export interface PcaLimits {
  t2: number;
  spe: number;
  /** "jackson_mudholkar" or "box" (used when h0 ≤ 0, where the JM formula is undefined). */
  speMethod: string;
}

/**
 * T² UCL = k(n−1)(n+1)/(n(n−k)) · F⁻¹(α; k, n−k) (Tracy, Young & Mason 1992, new
 * observations); SPE limit by Jackson–Mudholkar with θ_i = Σ_{j>k} λ_j^i,
 * h0 = 1 − 2θ1θ3/(3θ2²), Q = θ1 [c_α √(2θ2h0²)/θ1 + 1 + θ2h0(h0−1)/θ1²]^(1/h0);
 * when h0 ≤ 0 Box's g·χ²_h (g = θ2/θ1, h = θ1²/θ2) is used. No residual
 * variance → SPE limit 0; n ≤ k → T² limit Infinity.
 */
export function pcaLimits(model: PcaModel, alpha: number): PcaLimits {
  const { k, n } = model;
  const t2 = n > k && k > 0
    ? ((k * (n - 1) * (n + 1)) / (n * (n - k))) * fQuantile(alpha, k, n - k)
    : Infinity;
  let th1 = 0, th2 = 0, th3 = 0;
  for (let j = k; j < model.eigenvalues.length; j++) {
    const l = model.eigenvalues[j];
    th1 += l;
    th2 += l * l;
    th3 += l * l * l;
  }
  if (!(th1 > 0) || !(th2 > 0)) return { t2, spe: 0, speMethod: "none" };
  const h0 = 1 - (2 * th1 * th3) / (3 * th2 * th2);
  if (h0 > 0) {
    const ca = normalQuantile(alpha);
    const base = (ca * Math.sqrt(2 * th2 * h0 * h0)) / th1 + 1 +
      (th2 * h0 * (h0 - 1)) / (th1 * th1);
    if (base > 0) return { t2, spe: th1 * Math.pow(base, 1 / h0), speMethod: "jackson_mudholkar" };
  }
  const g = th2 / th1, h = (th1 * th1) / th2;
  return { t2, spe: g * chiSquareQuantile(alpha, h), speMethod: "box" };
}
