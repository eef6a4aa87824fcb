/**
 * `omr` detector (overall model residual): every standardised input is
 * reconstructed from the others (leave-one-out ridge, or k principal
 * components); score = ‖r‖² / training mean of ‖r‖², unclipped. Contributions
 * r_j² name the sensors that broke the correlation structure. Ridge costs O(d²)
 * per row: meant for raw standardised sensors; `pca` suits wider inputs.
 * Batch-only: no `update` — the covariance and scaler would have to move
 * together, so the head adapts by refitting. NaN inputs are imputed with the
 * training medians stored in the state (`impute: median`) or with their
 * conditional mean given the observed sensors (`impute: conditional`, residual
 * 0); every score is finite. `normalize: per_sensor` divides each residual by
 * its robust training scale σ_j, and `aggregate: max | rms` turns the row into
 * a z-like score, so a single drifting sensor is not diluted by the others.
 */
import {
  scoreRows,
  singleOutput,
  standardisedMomentsOf,
  standardizerOf,
  stateOf,
} from "./_adapter.ts";
import type { Frame } from "../../core/frame.ts";
import { defineDetector, type PluginState, type ScoreOptions } from "../../core/plugin.ts";
import {
  fitOmr,
  type OmrAggregate,
  type OmrModel,
  type OmrNormalize,
  scoreOmr,
} from "../../core/numeric/omr.ts";
import {
  columnMap,
  type Standardizer,
  standardizerFrom,
  standardizeTransform,
} from "../../core/numeric/standardize.ts";

/** Options of `omr`. */
export interface OmrDetectorOptions {
  method: "ridge" | "pca";
  alpha: number;
  n_components: number;
  variance: number;
  normalize: OmrNormalize;
  aggregate: OmrAggregate;
  impute: OmrImpute;
  min_residual_scale: number;
}

type OmrImpute = "median" | "conditional";

interface Fitted {
  columns: string[];
  scaler: Standardizer;
  model: OmrModel;
  impute: OmrImpute;
}

const NAME = "omr";
const VERSION = "1.1.0";

/** 1 where the fitted column's input value is missing (non-finite or absent column), column-major rows × kept. */
function missingMask(s: Standardizer, frame: Frame, map?: Int32Array): Uint8Array {
  const rows = frame.rows, d = s.kept.length;
  const mask = new Uint8Array(rows * d);
  for (let c = 0; c < d; c++) {
    const src = map ? map[s.kept[c]] : s.kept[c];
    const dst = c * rows;
    if (src < 0) {
      mask.fill(1, dst, dst + rows);
      continue;
    }
    const base = src * rows;
    for (let i = 0; i < rows; i++) {
      const x = frame.values[base + i];
      if (!(x - x === 0)) mask[dst + i] = 1;
    }
  }
  return mask;
}

export default defineDetector<OmrDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Overall model residual: reconstruct each standardised sensor from the others (ridge or PCA); score ‖r‖² relative to training (or max/rms of per-sensor-scaled residuals), contributions r_j².",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      method: {
        type: "string",
        enum: ["ridge", "pca"],
        description:
          "`ridge`: each column regressed on all others (one covariance inverse); `pca`: reconstruction from principal components.",
        default: "ridge",
      },
      alpha: {
        type: "number",
        minimum: 0,
        description:
          "Ridge penalty on the covariance scale of standardised data (equals sklearn Ridge(alpha = alpha × training rows)).",
        default: 0.01,
      },
      n_components: {
        type: "integer",
        minimum: 0,
        description: "Components for `pca`; 0 = the fewest reaching `variance` (capped at d − 1).",
        default: 0,
      },
      variance: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: 1,
        description:
          "Explained-variance share that picks the components for `pca` when `n_components` is 0.",
        default: 0.9,
      },
      normalize: {
        type: "string",
        enum: ["none", "per_sensor"],
        description:
          "`none`: raw standardised residuals r_j; `per_sensor`: r_j / σ_j with σ_j = 1.4826·MAD of sensor j's training residuals, so every sensor's residual is on its own noise scale.",
        default: "none",
      },
      aggregate: {
        type: "string",
        enum: ["sum_sq", "max", "rms"],
        description:
          "Row score from the (scaled) residuals q_j: `sum_sq` = Σq² / training mean (squared scale); `max` = max_j |q_j| (z-like, one drifting sensor is not diluted); `rms` = sqrt(mean_j q_j²). Contributions are q_j².",
        default: "sum_sq",
      },
      impute: {
        type: "string",
        enum: ["median", "conditional"],
        description:
          "Missing inputs: `median` = training median (can leave large residuals); `conditional` = conditional mean given the observed sensors, and the missing sensor's residual counts as 0.",
        default: "median",
      },
      min_residual_scale: {
        type: "number",
        exclusiveMinimum: 0,
        description:
          "Floor of σ_j for `per_sensor`, on the standardised scale (a sensor fitted almost exactly by the others).",
        default: 0.01,
      },
    },
    examples: [
      { method: "ridge", alpha: 0.01 },
      { method: "pca", n_components: 3 },
      { method: "ridge", normalize: "per_sensor", aggregate: "max", impute: "conditional" },
    ],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted => fitted ?? ctx.fail("Cannot score: the omr detector is not fitted");
    return {
      outputs: [""],
      rowContributions: true,
      fit(frame: Frame) {
        const scaler = standardizerOf(frame); // shared by the heads fitted on this frame
        const impute = options.impute ?? "median";
        const mask = impute === "conditional" ? missingMask(scaler, frame) : undefined;
        // Standardised on the fly (no rows × d copy).
        const model = fitOmr(
          frame.values,
          frame.rows,
          scaler.kept.length,
          {
            method: options.method,
            alpha: options.alpha,
            nComponents: options.n_components,
            variance: options.variance,
            normalize: options.normalize ?? "none",
            aggregate: options.aggregate ?? "sum_sq",
            minResidualScale: options.min_residual_scale ?? 0.01,
          },
          mask,
          standardisedMomentsOf(frame),
          standardizeTransform(scaler),
        );
        fitted = { columns: [...frame.columns], scaler, model, impute };
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        if (opts.rows) return scoreRows(frame, opts.rows, (f) => this.score(f));
        const f = need();
        const map = columnMap(f.columns, frame.columns);
        const want = opts.contributions !== false;
        const mask = f.impute === "conditional" ? missingMask(f.scaler, frame, map) : undefined;
        // Standardised block by block inside the scorer (no rows × d copy).
        const t = standardizeTransform(f.scaler, map);
        const s = scoreOmr(f.model, frame.values, frame.rows, want, mask, t);
        return singleOutput(
          s.score,
          want ? s.contributions : undefined,
          f.scaler,
          map,
          frame.rows,
          frame.columns.length,
        );
      },
      save(): PluginState {
        const f = need();
        const m = f.model;
        return {
          plugin: NAME,
          version: VERSION,
          data: {
            columns: f.columns,
            ...f.scaler,
            method: m.method,
            d: m.d,
            operator: m.operator,
            train_mean: m.trainMean,
            normalize: m.normalize,
            aggregate: m.aggregate,
            sigma: m.sigma,
            impute: f.impute,
            pca: m.pca
              ? {
                d: m.pca.d,
                k: m.pca.k,
                n: m.pca.n,
                loadings: m.pca.loadings,
                eigenvalues: m.pca.eigenvalues,
              }
              : null,
          },
        };
      },
      load(state: PluginState) {
        const d = stateOf<Record<string, unknown>>(state, NAME, ctx);
        const p = d.pca as Record<string, unknown> | null;
        const dim = d.d as number;
        fitted = {
          columns: d.columns as string[],
          scaler: standardizerFrom(d),
          model: {
            method: d.method as "ridge" | "pca",
            d: dim,
            operator: d.operator as Float64Array,
            trainMean: d.train_mean as number,
            // States saved by 1.0.0 carry no residual scaling: today's defaults.
            normalize: (d.normalize as OmrNormalize | undefined) ?? "none",
            aggregate: (d.aggregate as OmrAggregate | undefined) ?? "sum_sq",
            sigma: (d.sigma as Float64Array | undefined) ?? new Float64Array(dim).fill(1),
            pca: p
              ? {
                d: p.d as number,
                k: p.k as number,
                n: p.n as number,
                loadings: p.loadings as Float64Array,
                eigenvalues: p.eigenvalues as Float64Array,
              }
              : null,
          },
          impute: (d.impute as OmrImpute | undefined) ?? "median",
        };
      },
      metrics() {
        const f = need();
        return {
          method: f.model.method,
          variables: f.model.d,
          dropped_columns: f.columns.length - f.scaler.kept.length,
          train_mean_residual: f.model.trainMean,
          normalize: f.model.normalize,
          aggregate: f.model.aggregate,
          impute: f.impute,
          ...(f.model.pca ? { components: f.model.pca.k } : {}),
        };
      },
    };
  },
});
