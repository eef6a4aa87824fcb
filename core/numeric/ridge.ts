/**
 * Leave-one-variable-out ridge regression from one covariance matrix. For
 * centred data with population covariance S and penalty α (per-sample scale),
 * the ridge fit of variable j on all others is β_j = (S_{−j,−j} + αI)⁻¹ S_{−j,j}
 * — identical to sklearn Ridge(alpha = α·n) on the same centred columns. With
 * P = (S + αI)⁻¹, block inversion gives β_ij = −P_ij / P_jj (i ≠ j) and the
 * residual r_j = x_j − Σ_{i≠j} β_ij x_i = (P x)_j / P_jj, so all d regressions
 * cost one d×d inverse (cf. the "inverse covariance" view of regression,
 * Hastie, Tibshirani & Friedman, ESL 2nd ed., §3.4 and §17.3.1).
 */
import { spdInverse } from "./linalg.ts";

/**
 * Residual operator R (row-major d×d) with r = R x: R_jk = P_jk / P_jj. Null
 * when S + αI is not positive definite (α = 0 on a singular S).
 */
export function ridgeResidualOperator(
  s: Float64Array,
  d: number,
  alpha: number,
): Float64Array | null {
  const a = s.slice();
  for (let j = 0; j < d; j++) a[j * d + j] += alpha;
  const p = spdInverse(a, d);
  if (p === null) return null;
  const r = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const inv = 1 / p[j * d + j];
    for (let k = 0; k < d; k++) r[j * d + k] = p[j * d + k] * inv;
  }
  return r;
}

/**
 * Coefficients (row-major d×d, row j = regression of variable j, zero diagonal):
 * B_ji = β_ij = −P_ij/P_jj. Null when S + αI is not positive definite.
 */
export function ridgeCoefficients(s: Float64Array, d: number, alpha: number): Float64Array | null {
  const r = ridgeResidualOperator(s, d, alpha);
  if (r === null) return null;
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) r[j * d + k] = j === k ? 0 : -r[j * d + k];
  }
  return r;
}
