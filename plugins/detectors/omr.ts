/**
 * `omr` detector (overall model residual): every standardised input is
 * reconstructed from the others (leave-one-out ridge, or k principal
 * components); score = ‖r‖² / training mean of ‖r‖², unclipped. Contributions
 * r_j² name the sensors that broke the correlation structure. Ridge costs O(d²)
 * per row: meant for raw standardised sensors; `pca` suits wider inputs.
 * Batch-only: no `update` — the covariance and scaler would have to move
 * together, so the head adapts by refitting. NaN inputs are imputed with the
 * training medians stored in the state; every score is finite.
 */
import type { Frame } from "../../core/frame.ts";
import { defineDetector, type PluginState } from "../../core/plugin.ts";
import { fitOmr, type OmrModel, scoreOmr } from "../../core/numeric/omr.ts";
import {
  columnMap,
  fitStandardizer,
  scatterColumns,
  standardize,
  type Standardizer,
} from "../../core/numeric/standardize.ts";

/** Options of `omr`. */
export interface OmrDetectorOptions {
  method: "ridge" | "pca";
  alpha: number;
  n_components: number;
  variance: number;
}

interface Fitted {
  columns: string[];
  scaler: Standardizer;
  model: OmrModel;
}

const NAME = "omr";
const VERSION = "1.0.0";

export default defineDetector<OmrDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Overall model residual: reconstruct each standardised sensor from the others (ridge or PCA); score ‖r‖² relative to training, contributions r_j².",
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
    },
    examples: [{ method: "ridge", alpha: 0.01 }, { method: "pca", n_components: 3 }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted => fitted ?? ctx.fail("Cannot score: the omr detector is not fitted");
    return {
      outputs: [""],
      fit(frame: Frame) {
        const scaler = fitStandardizer(frame.values, frame.rows, frame.columns.length);
        const z = standardize(scaler, frame.values, frame.rows);
        const model = fitOmr(z, frame.rows, scaler.kept.length, {
          method: options.method,
          alpha: options.alpha,
          nComponents: options.n_components,
          variance: options.variance,
        });
        fitted = { columns: [...frame.columns], scaler, model };
      },
      score(frame: Frame, opts: { contributions?: boolean } = {}) {
        const f = need();
        const map = columnMap(f.columns, frame.columns);
        const z = standardize(f.scaler, frame.values, frame.rows, map);
        const want = opts.contributions !== false;
        const s = scoreOmr(f.model, z, frame.rows, want);
        if (!want) return { outputs: { "": s.score } };
        return {
          outputs: { "": s.score },
          contributions: {
            "": scatterColumns(
              s.contributions!,
              frame.rows,
              f.scaler.kept,
              map,
              frame.columns.length,
            ),
          },
        };
      },
      save(): PluginState {
        const f = need();
        const m = f.model;
        return {
          plugin: NAME,
          version: VERSION,
          data: {
            columns: f.columns,
            medians: f.scaler.medians,
            mean: f.scaler.mean,
            std: f.scaler.std,
            kept: f.scaler.kept,
            method: m.method,
            d: m.d,
            operator: m.operator,
            train_mean: m.trainMean,
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
        if (state.plugin !== NAME) {
          ctx.fail(`Cannot load state: it belongs to plugin "${state.plugin}"`);
        }
        const d = state.data as Record<string, unknown>;
        const p = d.pca as Record<string, unknown> | null;
        fitted = {
          columns: d.columns as string[],
          scaler: {
            medians: d.medians as Float64Array,
            mean: d.mean as Float64Array,
            std: d.std as Float64Array,
            kept: d.kept as Int32Array,
          },
          model: {
            method: d.method as "ridge" | "pca",
            d: d.d as number,
            operator: d.operator as Float64Array,
            trainMean: d.train_mean as number,
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
        };
      },
      metrics() {
        const f = need();
        return {
          method: f.model.method,
          variables: f.model.d,
          dropped_columns: f.columns.length - f.scaler.kept.length,
          train_mean_residual: f.model.trainMean,
          ...(f.model.pca ? { components: f.model.pca.k } : {}),
        };
      },
    };
  },
});
