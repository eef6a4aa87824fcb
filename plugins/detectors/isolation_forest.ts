/**
 * `isolation_forest` detector: Liu, Ting & Zhou's isolation forest on the input
 * columns; score s = 2^(−E[h]/c(ψ)) in (0, 1] (0.5 ordinary, → 1 anomalous).
 * Seeded from the node's generator; trees are flat typed arrays, so the saved
 * state is plain data and restores to bit-identical scores. Contributions: per
 * column, the path-length shortfall credited to the splits that cut the row off.
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
import {
  fitIsolationForest,
  type IsolationForestModel,
  scoreIsolationForest,
} from "../../core/numeric/isolation_forest.ts";

/** Options of `isolation_forest`. */
export interface IsolationForestDetectorOptions {
  n_trees: number;
  sample_size: number;
  bootstrap: boolean;
  max_features: number;
  contributions: boolean;
}

const NAME = "isolation_forest";
const VERSION = "1.0.0";

interface Fitted {
  columns: string[];
  model: IsolationForestModel;
}

export default defineDetector<IsolationForestDetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Isolation forest (Liu, Ting & Zhou 2008): rows isolated by few random splits score towards 1; multivariate, no distribution assumed.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      n_trees: {
        type: "integer",
        minimum: 1,
        description: "Number of isolation trees (V8 used 100).",
        default: 100,
      },
      sample_size: {
        type: "integer",
        minimum: 2,
        description:
          "Rows per tree ψ (clipped to the training rows); the depth limit is ⌈log2 ψ⌉. 256 is the paper's default; V8 used 2048.",
        default: 256,
      },
      bootstrap: {
        type: "boolean",
        description: "Draw each tree's rows with replacement instead of without.",
        default: false,
      },
      max_features: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Share of the input columns each tree may split on (drawn per tree).",
        default: 1,
      },
      contributions: {
        type: "boolean",
        description:
          "Report per-column contributions (path-length shortfall credited to the columns whose splits cut the row off); roughly doubles the scoring time.",
        default: true,
      },
    },
    examples: [{ n_trees: 100, sample_size: 256 }, {
      n_trees: 200,
      bootstrap: true,
      max_features: 0.5,
    }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted =>
      fitted ?? ctx.fail("Cannot score: the isolation_forest detector is not fitted");
    return {
      outputs: [""],
      rowContributions: true,
      fit(frame: Frame) {
        const model = fitIsolationForest(
          frame.values,
          frame.rows,
          frame.columns.length,
          ctx.rng.fork("fit"),
          {
            nTrees: options.n_trees,
            sampleSize: options.sample_size,
            bootstrap: options.bootstrap,
            maxFeatures: options.max_features,
            medians: standardizerOf(frame).medians, // shared with the other heads on this frame
          },
        );
        if (model.nTrees === 0) {
          ctx.log.warn("fewer than 2 training rows: every row will score 0.5", {
            rows: frame.rows,
          });
        }
        fitted = { columns: [...frame.columns], model };
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        if (opts.rows) return scoreRows(frame, opts.rows, (f) => this.score(f));
        const f = need();
        const { values, map } = alignColumns(frame, f.columns);
        const s = scoreIsolationForest(f.model, values, frame.rows, {
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
        const d = stateOf<{ columns: string[]; model: IsolationForestModel }>(state, NAME, ctx);
        fitted = { columns: [...d.columns], model: d.model };
      },
      metrics() {
        const m = need().model;
        return {
          n_trees: m.nTrees,
          sample_size: m.psi,
          max_depth: m.maxDepth,
          nodes: m.feature.length,
        };
      },
    };
  },
});
