/**
 * Squared Mahalanobis distance D² = (x − μ)ᵀ Σ̂⁻¹ (x − μ) with a shrinkage
 * covariance Σ̂ = (1 − δ) S + δ μ_S I (S population covariance, μ_S = tr(S)/d),
 * δ from Ledoit–Wolf (2004) or fixed. Σ̂⁻¹ is applied through its Cholesky
 * factor (D² = ‖L⁻¹(x − μ)‖²), never a pseudo-inverse: when Σ̂'s condition
 * number exceeds `maxCondition`, δ is raised to the smallest value meeting it
 * (κ(δ) = ((1−δ)λ_max + δμ_S)/((1−δ)λ_min + δμ_S) is monotone in δ).
 */
import {
  type CentredMoments,
  columnMeans,
  covariance,
  covarianceFromMoments,
  ledoitWolf,
  meanDiagonal,
  shrinkToIdentity,
} from "./covariance.ts";
import { cholesky, symmetricEigen } from "./linalg.ts";
import { centred, type ColumnTransform, readColumn } from "./column_transform.ts";

const BLOCK = 128;

/** A fitted Mahalanobis model. */
export interface MahalanobisModel {
  d: number;
  mean: Float64Array;
  /** Lower Cholesky factor (row-major d×d) of the shrunk covariance. */
  chol: Float64Array;
  /** Shrinkage actually used. */
  shrinkage: number;
  /** Shrinkage the estimator (Ledoit–Wolf or the fixed option) asked for. */
  requestedShrinkage: number;
  /** 2-norm condition number of the shrunk covariance. */
  condition: number;
}

/** Options: `shrinkage` null = Ledoit–Wolf, else fixed δ ∈ [0, 1]. */
export interface MahalanobisOptions {
  shrinkage: number | null;
  maxCondition: number;
}

/**
 * Fits the model on the d columns of `z`, read through `t` when given (e.g. the
 * standardisation, applied on the fly; `moments` of those columns, when given,
 * are reused); `warnings` says when shrinkage had to be
 * raised. d = 0 gives an empty model.
 */
export function fitMahalanobis(
  z: Float64Array,
  rows: number,
  d: number,
  opts: MahalanobisOptions,
  t?: ColumnTransform,
  moments?: CentredMoments,
): { model: MahalanobisModel; warnings: string[] } {
  const warnings: string[] = [];
  if (d === 0 || rows === 0) {
    return {
      model: {
        d: 0,
        mean: new Float64Array(0),
        chol: new Float64Array(0),
        shrinkage: 0,
        requestedShrinkage: 0,
        condition: 1,
      },
      warnings,
    };
  }
  let s: Float64Array, mean: Float64Array, requested: number;
  if (opts.shrinkage === null) {
    const lw = ledoitWolf(z, rows, d, t, moments);
    mean = lw.means;
    requested = lw.shrinkage;
    s = lw.empirical;
  } else {
    mean = moments?.means ?? columnMeans(z, rows, d, t);
    requested = Math.min(1, Math.max(0, opts.shrinkage));
    s = moments ? covarianceFromMoments(moments, 0) : covariance(z, rows, d, 0, t);
  }
  const mu = meanDiagonal(s, d);
  const eig = symmetricEigen(s, d).values;
  const lmax = eig[0], lmin = eig[d - 1];
  const kappa = (delta: number) => {
    const lo = (1 - delta) * lmin + delta * mu;
    return lo > 0 ? ((1 - delta) * lmax + delta * mu) / lo : Infinity;
  };
  let delta = requested;
  const k = opts.maxCondition;
  if (!(kappa(delta) <= k)) {
    // Smallest δ with κ(δ) ≤ K: (1−δ)(λmax − Kλmin) ≤ δμ(K − 1).
    const a = lmax - k * lmin;
    const needed = a / (a + mu * (k - 1));
    delta = Math.min(1, Math.max(delta, needed * (1 + 1e-9) + 1e-15));
    warnings.push(
      `shrinkage raised from ${requested.toPrecision(4)} to ${
        delta.toPrecision(4)
      }: condition number ${kappa(requested).toPrecision(4)} exceeds max_condition ${k}`,
    );
  }
  let chol = cholesky(shrinkToIdentity(s, d, delta, mu), d);
  while (chol === null && delta < 1) {
    const next = Math.min(1, delta === 0 ? 1e-6 : delta * 2);
    warnings.push(
      `Cholesky failed at shrinkage ${delta.toPrecision(4)}; raised to ${next.toPrecision(4)}`,
    );
    delta = next;
    chol = cholesky(shrinkToIdentity(s, d, delta, mu), d);
  }
  if (chol === null) {
    // Only when μ_S = 0 (no variance at all): fall back to the identity metric, stated loudly.
    warnings.push("covariance has no variance at all; using the identity matrix");
    chol = new Float64Array(d * d);
    for (let j = 0; j < d; j++) chol[j * d + j] = 1;
  }
  return {
    model: {
      d,
      mean,
      chol,
      shrinkage: delta,
      requestedShrinkage: requested,
      condition: kappa(delta),
    },
    warnings,
  };
}

/**
 * D² per row and optionally contributions max(0, e_j (Σ̂⁻¹e)_j) per variable
 * (unclipped terms sum to D²). With `t`, the d variables are read from `z`
 * through it (e.g. the standardisation) one row block at a time: no copy.
 */
export function scoreMahalanobis(
  model: MahalanobisModel,
  z: Float64Array,
  rows: number,
  contributions = false,
  t?: ColumnTransform,
): { d2: Float64Array; contributions?: Float64Array } {
  const { d, chol, mean } = model;
  const e0 = centred(t, d, mean); // e = x − μ
  const d2 = new Float64Array(rows);
  const contrib = contributions ? new Float64Array(rows * d) : undefined;
  // Rows in blocks; y = L⁻¹e and u = L⁻ᵀy by substitution with contiguous loops over the block's rows.
  const e = new Float64Array(d * BLOCK),
    y = new Float64Array(d * BLOCK),
    u = new Float64Array(d * BLOCK);
  const acc = new Float64Array(BLOCK);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const nb = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < d; j++) readColumn(z, rows, e0, j, r0, nb, e, j * BLOCK);
    for (let r = 0; r < d; r++) {
      const base = r * d, yr = r * BLOCK;
      for (let i = 0; i < nb; i++) acc[i] = e[yr + i];
      let c = 0;
      for (; c + 3 < r; c += 4) { // four c per pass, subtracted in c order (bit-identical)
        const l0 = chol[base + c], l1 = chol[base + c + 1], l2 = chol[base + c + 2];
        const l3 = chol[base + c + 3];
        const y0 = c * BLOCK, y1 = y0 + BLOCK, y2 = y1 + BLOCK, y3 = y2 + BLOCK;
        for (let i = 0; i < nb; i++) {
          acc[i] = acc[i] - l0 * y[y0 + i] - l1 * y[y1 + i] - l2 * y[y2 + i] - l3 * y[y3 + i];
        }
      }
      for (; c < r; c++) {
        const l = chol[base + c], yc = c * BLOCK;
        for (let i = 0; i < nb; i++) acc[i] -= l * y[yc + i];
      }
      const inv = 1 / chol[base + r];
      for (let i = 0; i < nb; i++) {
        const v = acc[i] * inv;
        y[yr + i] = v;
        d2[r0 + i] += v * v;
      }
    }
    if (!contrib) continue;
    for (let r = d - 1; r >= 0; r--) {
      const ur = r * BLOCK;
      for (let i = 0; i < nb; i++) acc[i] = y[ur + i];
      for (let c = r + 1; c < d; c++) {
        const l = chol[c * d + r], uc = c * BLOCK;
        for (let i = 0; i < nb; i++) acc[i] -= l * u[uc + i];
      }
      const inv = 1 / chol[r * d + r];
      for (let i = 0; i < nb; i++) u[ur + i] = acc[i] * inv;
    }
    for (let j = 0; j < d; j++) {
      const src = j * BLOCK, dst = j * rows + r0;
      for (let i = 0; i < nb; i++) {
        const cj = e[src + i] * u[src + i];
        contrib[dst + i] = cj > 0 ? cj : 0;
      }
    }
  }
  return { d2, contributions: contrib };
}
