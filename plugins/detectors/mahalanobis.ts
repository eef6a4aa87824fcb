/**
 * `mahalanobis` detector: squared Mahalanobis distance on training-standardised
 * inputs with a Ledoit–Wolf (or fixed) shrinkage covariance, inverted through
 * Cholesky (never a silent pseudo-inverse). Per-row cost O(d²): meant for raw
 * standardised sensors, not for wide rolling-feature frames.
 * Batch-only: no `update` — the covariance and scaler would have to move
 * together, so the head adapts by refitting. NaN inputs are imputed with the
 * training medians stored in the state; every score is finite.
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
  fitMahalanobis,
  type MahalanobisModel,
  scoreMahalanobis,
} from "../../core/numeric/mahalanobis.ts";
import {
  columnMap,
  type Standardizer,
  standardizerFrom,
  standardizeTransform,
} from "../../core/numeric/standardize.ts";

/** Options of `mahalanobis`. */
export interface MahalanobisDetectorOptions {
  shrinkage: "ledoit_wolf" | "fixed";
  fixed_shrinkage: number;
  max_condition: number;
}

interface Fitted {
  columns: string[];
  scaler: Standardizer;
  model: MahalanobisModel;
}

const NAME = "mahalanobis";
const VERSION = "1.0.0";

export default defineDetector<MahalanobisDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Squared Mahalanobis distance D² on standardised inputs with Ledoit–Wolf shrinkage covariance; O(d²) per row, meant for raw sensors.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      shrinkage: {
        type: "string",
        enum: ["ledoit_wolf", "fixed"],
        description:
          "How the covariance is shrunk toward the scaled identity: `ledoit_wolf` (optimal δ, Ledoit & Wolf 2004) or `fixed` (δ = fixed_shrinkage).",
        default: "ledoit_wolf",
      },
      fixed_shrinkage: {
        type: "number",
        minimum: 0,
        maximum: 1,
        description: "Shrinkage δ ∈ [0, 1] used when `shrinkage` is `fixed`.",
        default: 0.1,
      },
      max_condition: {
        type: "number",
        exclusiveMinimum: 1,
        description:
          "Largest condition number accepted for the shrunk covariance; above it shrinkage is raised to the smallest δ that meets it (logged as a warning).",
        default: 1e10,
      },
    },
    examples: [{ shrinkage: "ledoit_wolf" }, {
      shrinkage: "fixed",
      fixed_shrinkage: 0.2,
      max_condition: 1e6,
    }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted =>
      fitted ?? ctx.fail("Cannot score: the mahalanobis detector is not fitted");
    return {
      outputs: [""],
      rowContributions: true,
      fit(frame: Frame) {
        const scaler = standardizerOf(frame); // shared by the heads fitted on this frame
        // Standardised on the fly (no rows × d copy).
        const { model, warnings } = fitMahalanobis(
          frame.values,
          frame.rows,
          scaler.kept.length,
          {
            shrinkage: options.shrinkage === "fixed" ? options.fixed_shrinkage : null,
            maxCondition: options.max_condition,
          },
          standardizeTransform(scaler),
          standardisedMomentsOf(frame),
        );
        for (const w of warnings) ctx.log.warn(w);
        fitted = { columns: [...frame.columns], scaler, model };
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        if (opts.rows) return scoreRows(frame, opts.rows, (f) => this.score(f));
        const f = need();
        const map = columnMap(f.columns, frame.columns);
        const want = opts.contributions !== false;
        // Standardised block by block inside the scorer (no rows × d copy).
        const t = standardizeTransform(f.scaler, map);
        const s = scoreMahalanobis(f.model, frame.values, frame.rows, want, t);
        return singleOutput(
          s.d2,
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
            d: m.d,
            center: m.mean,
            chol: m.chol,
            shrinkage: m.shrinkage,
            requested_shrinkage: m.requestedShrinkage,
            condition: m.condition,
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
            mean: d.center as Float64Array,
            chol: d.chol as Float64Array,
            shrinkage: d.shrinkage as number,
            requestedShrinkage: d.requested_shrinkage as number,
            condition: d.condition as number,
          },
        };
      },
      metrics() {
        const f = need();
        return {
          variables: f.model.d,
          dropped_columns: f.columns.length - f.scaler.kept.length,
          shrinkage: f.model.shrinkage,
          requested_shrinkage: f.model.requestedShrinkage,
          condition_number: Number.isFinite(f.model.condition)
            ? f.model.condition
            : String(f.model.condition),
        };
      },
    };
  },
});
