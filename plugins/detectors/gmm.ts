/**
 * `gmm` detector: Gaussian mixture on training-standardised inputs, k chosen by
 * BIC in [k_min, k_max], EM with k-means++ initialisation (seeded); score =
 * −log p(x) per row. Contributions: each column's share of the squared
 * Mahalanobis distance to the most responsible component. Fits on at most
 * `max_fit_rows` seeded-sampled rows so wide, long training sets stay fast.
 */
import {
  alignColumns,
  scoreRows,
  standardizerOf,
  stateOf,
  toFrameColumns,
  withContributions,
} from "./_adapter.ts";
import type { Frame } from "../../core/frame.ts";
import { defineDetector, type PluginState, type ScoreOptions } from "../../core/plugin.ts";
import { fitGmm, type GmmModel, scoreGmm } from "../../core/numeric/gmm.ts";

/** Options of `gmm`. */
export interface GmmDetectorOptions {
  covariance: "diag" | "full";
  reg_covar: number;
  k_min: number;
  k_max: number;
  n_init: number;
  max_iter: number;
  tol: number;
  max_fit_rows: number;
  contributions: boolean;
}

const NAME = "gmm";
const VERSION = "1.0.0";

interface Fitted {
  columns: string[];
  model: GmmModel;
}

export default defineDetector<GmmDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Gaussian mixture density (k by BIC, EM): rows in low-density regions score high (−log-likelihood); suits multi-modal operation.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      covariance: {
        type: "string",
        enum: ["diag", "full"],
        description:
          "Covariance of each component: `diag` (independent columns, fast, V8's choice) or `full` (correlations; cost grows with columns²).",
        default: "diag",
      },
      reg_covar: {
        type: "number",
        minimum: 0,
        description:
          "Added to every variance on the standardised scale (unit variance), i.e. a relative floor; keeps covariances invertible.",
        default: 1e-6,
      },
      k_min: {
        type: "integer",
        minimum: 1,
        description: "Smallest number of components tried.",
        default: 1,
      },
      k_max: {
        type: "integer",
        minimum: 1,
        description: "Largest number of components tried; the k with the lowest BIC wins.",
        default: 5,
      },
      n_init: {
        type: "integer",
        minimum: 1,
        description: "Seeded EM runs per k; the highest likelihood wins.",
        default: 1,
      },
      max_iter: {
        type: "integer",
        minimum: 1,
        description: "EM iterations per run.",
        default: 100,
      },
      tol: {
        type: "number",
        exclusiveMinimum: 0,
        description: "EM stops when the mean log-likelihood per row changes by less than this.",
        default: 1e-3,
      },
      max_fit_rows: {
        type: "integer",
        minimum: 10,
        description:
          "Fit on at most this many training rows (seeded sample without replacement); scoring uses all rows.",
        default: 10000,
      },
      contributions: {
        type: "boolean",
        description:
          "Report per-column shares of the Mahalanobis distance to the most responsible component.",
        default: true,
      },
    },
    examples: [{ covariance: "diag", k_min: 1, k_max: 5 }, {
      covariance: "full",
      k_max: 3,
      n_init: 2,
    }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted => fitted ?? ctx.fail("Cannot score: the gmm detector is not fitted");
    return {
      outputs: [""],
      rowContributions: true,
      fit(frame: Frame) {
        if (options.k_min > options.k_max) {
          ctx.fail(`Cannot fit: k_min ${options.k_min} is above k_max ${options.k_max}`, {
            path: "/k_min",
          });
        }
        const model = fitGmm(frame.values, frame.rows, frame.columns.length, ctx.rng.fork("fit"), {
          covariance: options.covariance,
          regCovar: options.reg_covar,
          kMin: options.k_min,
          kMax: options.k_max,
          nInit: options.n_init,
          maxIter: options.max_iter,
          tol: options.tol,
          maxFitRows: options.max_fit_rows,
          medians: standardizerOf(frame).medians, // shared with the other heads on this frame
        });
        if (model.params === null) {
          ctx.log.warn("no usable column or too few rows: every row will score 0", {
            rows: frame.rows,
          });
        }
        fitted = { columns: [...frame.columns], model };
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        if (opts.rows) return scoreRows(frame, opts.rows, (f) => this.score(f));
        const f = need();
        const { values, map } = alignColumns(frame, f.columns);
        const s = scoreGmm(f.model, values, frame.rows, {
          contributions: options.contributions && opts.contributions !== false,
        });
        return withContributions(
          s.scores,
          s.contributions && toFrameColumns(s.contributions, frame, map),
        );
      },
      save(): PluginState {
        const f = need();
        return { plugin: NAME, version: VERSION, data: { columns: f.columns, model: f.model } };
      },
      load(state: PluginState) {
        const d = stateOf<{ columns: string[]; model: GmmModel }>(state, NAME, ctx);
        fitted = { columns: [...d.columns], model: d.model };
      },
      metrics() {
        const m = need().model;
        const bic: Record<string, number> = {};
        m.kTried.forEach((k, i) => (bic[`bic_k${k}`] = m.bic[i]));
        return {
          k: m.params?.k ?? 0,
          covariance: options.covariance,
          columns_used: m.keep.length,
          fit_rows: m.fitRows,
          ...bic,
        };
      },
    };
  },
});
