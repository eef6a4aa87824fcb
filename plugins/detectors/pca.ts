/**
 * `pca` detector: PCA monitoring with two heads, `spe` (squared prediction
 * error, Q) and `t2` (Hotelling T²), with Jackson–Mudholkar and F-based control
 * limits in metrics(). Per-row cost O(d·k): fine on wide rolling-feature frames.
 * Batch-only: no `update` — the covariance and scaler would have to move
 * together, so the head adapts by refitting. NaN inputs are imputed with the
 * training medians stored in the state; every score is finite.
 */
import { scoreRows, standardisedMomentsOf, standardizerOf, stateOf } from "./_adapter.ts";
import type { Frame } from "../../core/frame.ts";
import { defineDetector, type PluginState, type ScoreOptions } from "../../core/plugin.ts";
import {
  explainedShare,
  fitPca,
  type PcaLimits,
  pcaLimits,
  type PcaModel,
  scorePca,
} from "../../core/numeric/pca.ts";
import {
  columnMap,
  type Standardizer,
  standardizerFrom,
  standardizeTransform,
} from "../../core/numeric/standardize.ts";

/** Options of `pca`. */
export interface PcaDetectorOptions {
  n_components: number;
  variance: number;
  alpha: number;
}

interface Fitted {
  columns: string[];
  scaler: Standardizer;
  model: PcaModel;
  limits: PcaLimits;
}

const NAME = "pca";
const VERSION = "1.0.0";

export default defineDetector<PcaDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "PCA subspace monitoring: heads `spe` (residual ‖x − x̂‖²) and `t2` (Hotelling T²) on training-standardised inputs; suits raw sensors or rolling features.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      n_components: {
        type: "integer",
        minimum: 0,
        description:
          "Principal components to keep; 0 = the fewest reaching `variance`. Capped at min(d − 1, rows − 1) so SPE keeps a residual space.",
        default: 0,
      },
      variance: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: 1,
        description:
          "Share of training variance the kept components must explain when `n_components` is 0 (0.9: the usual PCA-monitoring choice; V8 used a fixed 5 components).",
        default: 0.9,
      },
      alpha: {
        type: "number",
        exclusiveMinimum: 0.5,
        exclusiveMaximum: 1,
        description:
          "Confidence of the control limits reported in metrics (T² from the F distribution, SPE from Jackson–Mudholkar).",
        default: 0.99,
      },
    },
    examples: [{ variance: 0.9, alpha: 0.99 }, { n_components: 5 }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted => fitted ?? ctx.fail("Cannot score: the pca detector is not fitted");
    return {
      outputs: ["spe", "t2"],
      rowContributions: true,
      fit(frame: Frame) {
        const scaler = standardizerOf(frame); // shared by the heads fitted on this frame
        // Standardised on the fly (no rows × d copy).
        const model = fitPca(
          frame.values,
          frame.rows,
          scaler.kept.length,
          {
            nComponents: options.n_components,
            variance: options.variance,
          },
          standardizeTransform(scaler),
          standardisedMomentsOf(frame),
        );
        fitted = {
          columns: [...frame.columns],
          scaler,
          model,
          limits: pcaLimits(model, options.alpha),
        };
        const dropped = frame.columns.length - scaler.kept.length;
        if (dropped > 0) {
          ctx.log.info(`${dropped} constant or empty column(s) left out`, {
            dropped: droppedNames(fitted),
          });
        }
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        if (opts.rows) return scoreRows(frame, opts.rows, (f) => this.score(f));
        const f = need();
        const map = columnMap(f.columns, frame.columns);
        // Standardised block by block inside the scorer (no rows × d copy); contributions
        // are written straight into the frame's column layout (no scatter copy).
        const t = standardizeTransform(f.scaler, map);
        const dest = Int32Array.from(f.scaler.kept, (j) => map[j]);
        const want = opts.contributions !== false;
        const s = scorePca(f.model, frame.values, frame.rows, want, dest, frame.columns.length, t);
        if (!want) return { outputs: { spe: s.spe, t2: s.t2 } };
        return {
          outputs: { spe: s.spe, t2: s.t2 },
          contributions: { spe: s.speContributions!, t2: s.t2Contributions! },
        };
      },
      save(): PluginState {
        const f = need();
        return {
          plugin: NAME,
          version: VERSION,
          data: {
            columns: f.columns,
            ...f.scaler,
            d: f.model.d,
            k: f.model.k,
            n: f.model.n,
            loadings: f.model.loadings,
            eigenvalues: f.model.eigenvalues,
            limit_t2: f.limits.t2,
            limit_spe: f.limits.spe,
            limit_spe_method: f.limits.speMethod,
          },
        };
      },
      load(state: PluginState) {
        const d = stateOf<Record<string, unknown>>(state, NAME, ctx);
        fitted = {
          columns: d.columns as string[],
          scaler: standardizerFrom(d),
          model: {
            d: d.d as number,
            k: d.k as number,
            n: d.n as number,
            loadings: d.loadings as Float64Array,
            eigenvalues: d.eigenvalues as Float64Array,
          },
          limits: {
            t2: d.limit_t2 as number,
            spe: d.limit_spe as number,
            speMethod: d.limit_spe_method as string,
          },
        };
      },
      metrics() {
        const f = need();
        return {
          components: f.model.k,
          explained_variance: f.model.k > 0 ? explainedShare(f.model) : 0,
          variables: f.model.d,
          dropped_columns: f.columns.length - f.scaler.kept.length,
          dropped: droppedNames(f),
          alpha: options.alpha,
          t2_limit: finiteOr(f.limits.t2),
          spe_limit: finiteOr(f.limits.spe),
          spe_limit_method: f.limits.speMethod,
        };
      },
    };
  },
});

function droppedNames(f: Fitted): string {
  const kept = new Set(f.scaler.kept);
  return f.columns.filter((_, j) => !kept.has(j)).join(",");
}

function finiteOr(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}
