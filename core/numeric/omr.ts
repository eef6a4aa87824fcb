/**
 * Overall model residual (OMR): reconstruct every standardised variable from
 * the others and score the residual r = R z. Methods: "ridge" (leave-one-out
 * ridge from one covariance matrix, see ridge.ts) or "pca" (reconstruction
 * from k principal components, see pca.ts; R = I − VVᵀ).
 *
 * Residual scaling q_j = r_j / σ_j: "none" (σ_j = 1) or "per_sensor" (σ_j =
 * 1.4826·MAD of sensor j's training residuals, the normal-consistent robust
 * scale — Rousseeuw & Croux, JASA 88(424), 1993 — floored at
 * `minResidualScale`). Aggregation per row: "sum_sq" = Σq² / mean_train Σq²
 * (no clipping — the V8 clip at 10 saturated before calibration), "max" =
 * max_j |q_j|, "rms" = sqrt(mean_j q_j²); "max" and "rms" are z-like (not
 * squared). Contributions are q_j² (÷ the training mean for "sum_sq", so they
 * sum to the score); the culprit is the largest normalised residual.
 *
 * A missing-value mask (column-major rows × d, 1 = missing) switches on
 * conditional imputation (ridge.ts `conditionalImpute`) and zeroes the
 * residual of every missing entry: a missing value is not evidence of a fault.
 */
import { type ColumnTransform, readColumn, readColumnRows } from "./column_transform.ts";
import { type CentredMoments, covariance, covarianceFromMoments } from "./covariance.ts";
import { fitPca, type PcaModel, scorePca } from "./pca.ts";
import { conditionalImpute, ridgeResidualOperator } from "./ridge.ts";
import { compactFinite, selectMedian } from "./standardize.ts";

const BLOCK = 128;
/** Training rows the per-sensor residual scales are estimated from (evenly spaced). */
const SCALE_ROWS = 10_000;
/** Rows per working copy in `scoreOmr`. */
const SCORE_BLOCK = 2048;
/** MAD → σ for normal data: 1/Φ⁻¹(3/4). */
const MAD_TO_SIGMA = 1.4826;

/** How residuals are scaled before aggregation. */
export type OmrNormalize = "none" | "per_sensor";
/** How a row's scaled residuals become one score. */
export type OmrAggregate = "sum_sq" | "max" | "rms";

/** A fitted OMR model. */
export interface OmrModel {
  method: "ridge" | "pca";
  d: number;
  /** Ridge: residual operator (row-major d×d), r = R x. Empty for "pca". */
  operator: Float64Array;
  /** PCA: the reconstruction model (null for "ridge"). */
  pca: PcaModel | null;
  /** "sum_sq": mean of Σq² over the training rows (the score's unit), ≥ 1e-12; else 1. */
  trainMean: number;
  normalize: OmrNormalize;
  aggregate: OmrAggregate;
  /** Per-variable residual scale σ_j (all 1 for "none"). */
  sigma: Float64Array;
}

/** OMR options: ridge penalty on the covariance scale, PCA components, residual scaling. */
export interface OmrOptions {
  method: "ridge" | "pca";
  alpha: number;
  nComponents: number;
  variance: number;
  /** Default "none". */
  normalize?: OmrNormalize;
  /** Default "sum_sq". */
  aggregate?: OmrAggregate;
  /** Floor of σ_j on the standardised scale (default 0.01). */
  minResidualScale?: number;
}

/**
 * Fits OMR on standardised data: the d columns of `z`, read through `t` when
 * given (e.g. the standardisation, applied on the fly), never written. `moments`
 * of those columns, when given, spare computing their covariance. d = 0 gives a
 * model scoring 0. With `missing`, missing entries get their conditional means
 * (in working copies) and are left out of the residual statistics.
 */
export function fitOmr(
  z: Float64Array,
  rows: number,
  d: number,
  opts: OmrOptions,
  missing?: Uint8Array,
  moments?: CentredMoments,
  t?: ColumnTransform,
): OmrModel {
  const normalize = opts.normalize ?? "none", aggregate = opts.aggregate ?? "sum_sq";
  const sigma = new Float64Array(d).fill(1);
  let model: OmrModel;
  if (opts.method === "pca") {
    const pca = fitPca(
      z,
      rows,
      d,
      { nComponents: opts.nComponents, variance: opts.variance },
      t,
      moments,
    );
    model = {
      method: "pca",
      d,
      operator: new Float64Array(0),
      pca,
      trainMean: 1,
      normalize,
      aggregate,
      sigma,
    };
  } else {
    const s = rows === 0
      ? new Float64Array(d * d)
      : moments
      ? covarianceFromMoments(moments, 0)
      : covariance(z, rows, d, 0, t);
    let alpha = Math.max(opts.alpha, 0);
    let op = ridgeResidualOperator(s, d, alpha);
    while (op === null) {
      alpha = alpha === 0 ? 1e-8 : alpha * 10; // singular S with α = 0: smallest workable ridge
      op = ridgeResidualOperator(s, d, alpha);
    }
    model = {
      method: "ridge",
      d,
      operator: op,
      pca: null,
      trainMean: 1,
      normalize,
      aggregate,
      sigma,
    };
  }
  if (rows === 0 || d === 0) return model;
  if (normalize === "per_sensor") {
    // σ from at most SCALE_ROWS evenly spaced rows: r costs d² per row, and a MAD
    // from 10,000 rows is within ~1 % of the full one.
    const op = residualOperator(model);
    const s = evenRows(z, rows, d, SCALE_ROWS, t, missing);
    if (s.missing) conditionalImpute(op, d, s.z, s.rows, s.missing);
    residualScales(op, d, s.z, s.rows, opts.minResidualScale ?? 0.01, sigma, s.missing);
  }
  if (aggregate === "sum_sq") {
    const { score } = scoreOmr(model, z, rows, false, missing, t);
    let m = 0;
    for (let i = 0; i < rows; i++) m += score[i];
    model.trainMean = Math.max(m / rows, 1e-12);
  }
  return model;
}

/**
 * Scores standardised rows (column-major rows × d): see the module comment for
 * the score and contributions (column-major rows × d). With `t`, the d
 * variables are read from `z` through it (e.g. the standardisation). Rows go
 * through in blocks of SCORE_BLOCK: each block is read (and, with `missing`,
 * conditionally imputed) in a small working copy, so `z` is never written and
 * no rows × d copy is made.
 */
export function scoreOmr(
  model: OmrModel,
  z: Float64Array,
  rows: number,
  contributions = false,
  missing?: Uint8Array,
  t?: ColumnTransform,
): { score: Float64Array; contributions?: Float64Array } {
  const d = model.d;
  const score = new Float64Array(rows);
  const contrib = contributions ? new Float64Array(rows * d) : undefined;
  const op = missing && d > 0 ? residualOperator(model) : null;
  const zb = new Float64Array(Math.min(rows, SCORE_BLOCK) * d);
  const mb = missing ? new Uint8Array(zb.length) : undefined;
  for (let r0 = 0; r0 < rows; r0 += SCORE_BLOCK) {
    const nb = Math.min(SCORE_BLOCK, rows - r0);
    const zBlock = zb.subarray(0, nb * d), mBlock = mb?.subarray(0, nb * d);
    for (let j = 0; j < d; j++) {
      readColumn(z, rows, t, j, r0, nb, zBlock, j * nb);
      mBlock?.set(missing!.subarray(j * rows + r0, j * rows + r0 + nb), j * nb);
    }
    if (op && mBlock) conditionalImpute(op, d, zBlock, nb, mBlock);
    const s = scoreImputed(model, zBlock, nb, contributions, mBlock);
    score.set(s.score, r0);
    if (contrib && s.contributions) {
      for (let j = 0; j < d; j++) {
        contrib.set(s.contributions.subarray(j * nb, (j + 1) * nb), j * rows + r0);
      }
    }
  }
  return { score, contributions: contrib };
}

/** The dense residual operator R (row-major d×d): the ridge operator, or I − VVᵀ for PCA. */
export function residualOperator(model: OmrModel): Float64Array {
  if (!model.pca) return model.operator;
  const { d, k, loadings } = model.pca;
  const op = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let m = 0; m < d; m++) {
      let s = j === m ? 1 : 0;
      for (let c = 0; c < k; c++) s -= loadings[c * d + j] * loadings[c * d + m];
      op[j * d + m] = s;
    }
  }
  return op;
}

/** At most `max` evenly spaced rows of column-major `z` read through `t` (and of `missing`), as working copies. */
function evenRows(
  z: Float64Array,
  rows: number,
  d: number,
  max: number,
  t?: ColumnTransform,
  missing?: Uint8Array,
): { z: Float64Array; rows: number; missing?: Uint8Array } {
  const m = Math.min(rows, max);
  const idx = Int32Array.from({ length: m }, (_, k) => m === rows ? k : Math.floor((k * rows) / m));
  const zs = new Float64Array(m * d), ms = missing ? new Uint8Array(m * d) : undefined;
  for (let j = 0; j < d; j++) {
    readColumnRows(z, rows, t, j, idx, zs, j * m);
    if (ms) { for (let k = 0; k < m; k++) ms[j * m + k] = missing![j * rows + idx[k]]; }
  }
  return { z: zs, rows: m, missing: ms };
}

/**
 * σ_j = max(1.4826·MAD of the finite training residuals r_j = Σ_k R_jk z_k, floor)
 * (1 for a column without any; missing entries left out), one column at a time so
 * only one rows-long residual is held, summed in the same order as the scorer.
 */
function residualScales(
  op: Float64Array,
  d: number,
  z: Float64Array,
  rows: number,
  floor: number,
  out: Float64Array,
  missing?: Uint8Array,
) {
  const r = new Float64Array(rows);
  for (let j = 0; j < d; j++) {
    r.fill(0);
    let k = 0;
    for (; k + 3 < d; k += 4) { // four k per pass, summed in k order (as the scorer)
      const a0 = op[j * d + k], a1 = op[j * d + k + 1], a2 = op[j * d + k + 2];
      const a3 = op[j * d + k + 3];
      const z0 = k * rows, z1 = z0 + rows, z2 = z1 + rows, z3 = z2 + rows;
      for (let i = 0; i < rows; i++) {
        r[i] = r[i] + a0 * z[z0 + i] + a1 * z[z1 + i] + a2 * z[z2 + i] + a3 * z[z3 + i];
      }
    }
    for (; k < d; k++) {
      const a = op[j * d + k], src = k * rows;
      for (let i = 0; i < rows; i++) r[i] += a * z[src + i];
    }
    if (missing) { for (let i = 0; i < rows; i++) if (missing[j * rows + i]) r[i] = NaN; }
    const f = r.subarray(0, compactFinite(r)); // quickselect reorders f in place: no copies
    const med = selectMedian(f);
    for (let i = 0; i < f.length; i++) f[i] = Math.abs(f[i] - med);
    const mad = selectMedian(f);
    out[j] = Number.isFinite(mad) ? Math.max(MAD_TO_SIGMA * mad, floor) : 1;
  }
}

/** Scores rows whose missing entries (if any) are already imputed. */
function scoreImputed(
  model: OmrModel,
  z: Float64Array,
  rows: number,
  contributions: boolean,
  missing?: Uint8Array,
): { score: Float64Array; contributions?: Float64Array } {
  const legacy = model.normalize === "none" && model.aggregate === "sum_sq" && !missing;
  if (model.pca && legacy) {
    const inv = 1 / model.trainMean;
    const s = scorePca(model.pca, z, rows, contributions);
    for (let i = 0; i < rows; i++) s.spe[i] *= inv;
    if (s.speContributions) {
      for (let i = 0; i < s.speContributions.length; i++) s.speContributions[i] *= inv;
    }
    return { score: s.spe, contributions: s.speContributions };
  }
  return scoreOperator(model, residualOperator(model), z, rows, contributions, missing);
}

/** Block scorer over a dense residual operator: r_j = Σ_k R_jk z_k, q_j = r_j/σ_j, then aggregate. */
function scoreOperator(
  model: OmrModel,
  op: Float64Array,
  z: Float64Array,
  rows: number,
  contributions: boolean,
  missing?: Uint8Array,
): { score: Float64Array; contributions?: Float64Array } {
  const { d, sigma, aggregate } = model;
  const inv = aggregate === "sum_sq" ? 1 / model.trainMean : 1;
  const score = new Float64Array(rows);
  const contrib = contributions ? new Float64Array(rows * d) : undefined;
  const r = new Float64Array(BLOCK);
  // Rows in blocks: r_j = Σ_k R_jk x_k with contiguous loops over the block's rows.
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const nb = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < d; j++) {
      r.fill(0);
      const base = j * d;
      // Four k per pass over the block: each r_i still sums its terms in k order
      // (bit-identical), with a quarter of the loads and stores of r.
      let k = 0;
      for (; k + 3 < d; k += 4) {
        const a0 = op[base + k], a1 = op[base + k + 1], a2 = op[base + k + 2];
        const a3 = op[base + k + 3];
        const z0 = k * rows + r0, z1 = z0 + rows, z2 = z1 + rows, z3 = z2 + rows;
        for (let i = 0; i < nb; i++) {
          r[i] = r[i] + a0 * z[z0 + i] + a1 * z[z1 + i] + a2 * z[z2 + i] + a3 * z[z3 + i];
        }
      }
      for (; k < d; k++) {
        const a = op[base + k], zk = k * rows + r0;
        for (let i = 0; i < nb; i++) r[i] += a * z[zk + i];
      }
      const dst = j * rows + r0, s = sigma[j];
      if (missing) { for (let i = 0; i < nb; i++) if (missing[dst + i]) r[i] = 0; }
      for (let i = 0; i < nb; i++) {
        const q = s === 1 ? r[i] : r[i] / s;
        const c = q * q * inv;
        if (aggregate === "max") {
          const aq = Math.abs(q);
          if (aq > score[r0 + i]) score[r0 + i] = aq;
        } else score[r0 + i] += c;
        if (contrib) contrib[dst + i] = c;
      }
    }
  }
  if (aggregate === "rms" && d > 0) {
    for (let i = 0; i < rows; i++) score[i] = Math.sqrt(score[i] / d);
  }
  return { score, contributions: contrib };
}
