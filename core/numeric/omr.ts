/**
 * Overall model residual (OMR): reconstruct every standardised variable from
 * the others and score the squared residual norm relative to training,
 * score = ‖r‖² / mean_train ‖r‖² (no clipping — the V8 clip at 10 saturated
 * before calibration). Methods: "ridge" (leave-one-out ridge from one
 * covariance matrix, see ridge.ts) or "pca" (reconstruction from k principal
 * components, see pca.ts).
 */
import { covariance } from "./covariance.ts";
import { fitPca, type PcaModel, scorePca } from "./pca.ts";
import { ridgeResidualOperator } from "./ridge.ts";

const BLOCK = 128;

/** A fitted OMR model. */
export interface OmrModel {
  method: "ridge" | "pca";
  d: number;
  /** Ridge: residual operator (row-major d×d), r = R x. Empty for "pca". */
  operator: Float64Array;
  /** PCA: the reconstruction model (null for "ridge"). */
  pca: PcaModel | null;
  /** Mean of ‖r‖² over the training rows (the score's unit); ≥ 1e-12. */
  trainMean: number;
}

/** OMR options: ridge penalty on the covariance scale, PCA components. */
export interface OmrOptions {
  method: "ridge" | "pca";
  alpha: number;
  nComponents: number;
  variance: number;
}

/** Fits OMR on standardised data. d = 0 gives a model scoring 0. */
export function fitOmr(z: Float64Array, rows: number, d: number, opts: OmrOptions): OmrModel {
  let model: OmrModel;
  if (opts.method === "pca") {
    const pca = fitPca(z, rows, d, { nComponents: opts.nComponents, variance: opts.variance });
    model = { method: "pca", d, operator: new Float64Array(0), pca, trainMean: 1 };
  } else {
    const s = rows > 0 ? covariance(z, rows, d, 0) : new Float64Array(d * d);
    let alpha = Math.max(opts.alpha, 0);
    let op = ridgeResidualOperator(s, d, alpha);
    while (op === null) {
      alpha = alpha === 0 ? 1e-8 : alpha * 10; // singular S with α = 0: smallest workable ridge
      op = ridgeResidualOperator(s, d, alpha);
    }
    model = { method: "ridge", d, operator: op, pca: null, trainMean: 1 };
  }
  if (rows > 0 && d > 0) {
    const { score } = scoreOmr(model, z, rows, false);
    let m = 0;
    for (let i = 0; i < rows; i++) m += score[i];
    model.trainMean = Math.max(m / rows, 1e-12);
  }
  return model;
}

/** score = ‖r‖²/trainMean per row; contributions r_j²/trainMean (column-major rows × d, sum = score). */
export function scoreOmr(
  model: OmrModel,
  z: Float64Array,
  rows: number,
  contributions = false,
): { score: Float64Array; contributions?: Float64Array } {
  const d = model.d;
  const inv = 1 / model.trainMean;
  if (model.pca) {
    const s = scorePca(model.pca, z, rows, contributions);
    for (let i = 0; i < rows; i++) s.spe[i] *= inv;
    if (s.speContributions) {
      for (let i = 0; i < s.speContributions.length; i++) s.speContributions[i] *= inv;
    }
    return { score: s.spe, contributions: s.speContributions };
  }
  const score = new Float64Array(rows);
  const contrib = contributions ? new Float64Array(rows * d) : undefined;
  const op = model.operator;
  const r = new Float64Array(BLOCK);
  // Rows in blocks: r_j = Σ_k R_jk x_k with contiguous loops over the block's rows.
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const nb = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < d; j++) {
      r.fill(0);
      const base = j * d;
      for (let k = 0; k < d; k++) {
        const a = op[base + k], zk = k * rows + r0;
        for (let i = 0; i < nb; i++) r[i] += a * z[zk + i];
      }
      const dst = j * rows + r0;
      for (let i = 0; i < nb; i++) {
        const r2 = r[i] * r[i] * inv;
        score[r0 + i] += r2;
        if (contrib) contrib[dst + i] = r2;
      }
    }
  }
  return { score, contributions: contrib };
}
