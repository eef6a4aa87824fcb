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

const IMPUTE_MAX_SWEEPS = 100;
const IMPUTE_TOL = 1e-10;

/**
 * Conditional-mean imputation of missing standardised inputs, in place: for each
 * row with `missing[j·rows + i] = 1`, the missing z_j start at 0 (the training
 * mean) and Gauss–Seidel sweeps set z_j ← z_j − r_j/R_jj, the value that zeroes
 * their own residual r = R z. For the ridge operator (R = D⁻¹P, P the precision)
 * this solves P_MM z_M = −P_MO z_O, the Gaussian conditional mean of the missing
 * block given the observed one (Golub & Van Loan, Matrix Computations 4th ed.,
 * §11.2.3: Gauss–Seidel converges for symmetric positive definite systems). Also
 * valid for a projector R = I − VVᵀ (minimises ‖R z‖² over the missing block).
 * Sweeps stop when no value moves by more than 1e-10 (at most 100). A variable
 * with R_jj ≤ 1e-12 is left at 0. Rows without missing values are untouched.
 */
export function conditionalImpute(
  op: Float64Array,
  d: number,
  z: Float64Array,
  rows: number,
  missing: Uint8Array,
): void {
  const idx = new Int32Array(d);
  for (let i = 0; i < rows; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      if (missing[j * rows + i]) {
        idx[m++] = j;
        z[j * rows + i] = 0;
      }
    }
    for (let sweep = 0; m > 0 && sweep < IMPUTE_MAX_SWEEPS; sweep++) {
      let moved = 0;
      for (let t = 0; t < m; t++) {
        const j = idx[t], base = j * d, diag = op[base + j];
        if (!(diag > 1e-12)) continue;
        let r = 0;
        for (let k = 0; k < d; k++) r += op[base + k] * z[k * rows + i];
        const step = r / diag;
        z[j * rows + i] -= step;
        if (Math.abs(step) > moved) moved = Math.abs(step);
      }
      if (moved <= IMPUTE_TOL) break;
    }
  }
}
