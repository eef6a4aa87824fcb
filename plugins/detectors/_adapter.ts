/**
 * Shared by the built-in detector adapters: the fitted-state tag check, matching
 * the scored frame's columns to the fitted ones, and mapping contributions back.
 */
import type { DetectorScores, PluginContext, PluginState } from "../../core/plugin.ts";
import { type Frame, selectRows } from "../../core/frame.ts";
import {
  fitStandardizer,
  scatterColumns,
  type Standardizer,
  standardizeTransform,
} from "../../core/numeric/standardize.ts";
import { type CentredMoments, centredMoments } from "../../core/numeric/covariance.ts";

/** The scores of a single-output detector: `score`, with `contributions` when there are any. */
export function withContributions(
  score: Float64Array,
  contributions: Float64Array | undefined,
): DetectorScores {
  return contributions
    ? { outputs: { "": score }, contributions: { "": contributions } }
    : { outputs: { "": score } };
}

/**
 * `{ outputs: { "": score } }`, plus contributions over the kept training columns
 * scattered into the current frame's column layout when they were computed.
 */
export function singleOutput(
  score: Float64Array,
  contributions: Float64Array | undefined,
  scaler: Standardizer,
  map: Int32Array,
  rows: number,
  columns: number,
): DetectorScores {
  return withContributions(
    score,
    contributions && scatterColumns(contributions, rows, scaler.kept, map, columns),
  );
}

/**
 * `ScoreOptions.rows` for a detector whose rows are scored independently: scores
 * (with contributions) just the selected rows.
 */
export function scoreRows(
  frame: Frame,
  rows: Int32Array,
  score: (frame: Frame) => DetectorScores,
): DetectorScores {
  return score(selectRows(frame, rows));
}

/** Fails through `ctx` unless `state` was saved by plugin `name`; returns its data. */
export function stateOf<T>(state: PluginState, name: string, ctx: PluginContext): T {
  if (state.plugin !== name) {
    ctx.fail(`Cannot load state: it belongs to plugin "${state.plugin}", not "${name}"`);
  }
  return state.data as T;
}

/**
 * The frame's values in the fitted column order (a fitted column missing from the
 * frame is all NaN), and the map fitted column → frame column (−1 when missing).
 * No copy when the layouts already agree.
 */
export function alignColumns(
  frame: Frame,
  columns: readonly string[],
): { values: Float64Array; map: Int32Array } {
  const map = Int32Array.from(columns, (c) => frame.columns.indexOf(c));
  if (map.every((j, a) => j === a) && frame.columns.length === columns.length) {
    return { values: frame.values, map };
  }
  const n = frame.rows;
  const values = new Float64Array(n * columns.length).fill(NaN);
  map.forEach((j, a) => {
    if (j >= 0) values.set(frame.values.subarray(j * n, (j + 1) * n), a * n);
  });
  return { values, map };
}

/** Per-fitted-column values (column-major) laid out in the frame's columns; no copy when they agree. */
export function toFrameColumns(
  perFitted: Float64Array,
  frame: Frame,
  map: Int32Array,
): Float64Array {
  const n = frame.rows, cols = frame.columns.length;
  if (map.length === cols && map.every((j, a) => j === a)) return perFitted;
  const out = new Float64Array(n * cols);
  map.forEach((j, a) => {
    if (j >= 0) out.set(perFitted.subarray(a * n, (a + 1) * n), j * n);
  });
  return out;
}

const standardizers = new WeakMap<Frame, Standardizer>();

/**
 * The training standardisation of `frame` (medians, means, stds, kept columns),
 * computed once per frame: pca, mahalanobis and omr fitted on the same frame —
 * as the engine does for every head reading the same input, and for each
 * cross-fit fold — share it. Frames are never written to, so the cache is exact.
 */
export function standardizerOf(frame: Frame): Standardizer {
  let s = standardizers.get(frame);
  if (!s) {
    s = fitStandardizer(frame.values, frame.rows, frame.columns.length);
    standardizers.set(frame, s);
  }
  return s;
}

const moments = new WeakMap<Frame, CentredMoments>();

/**
 * Means and centred cross-products of `frame`'s standardised kept columns
 * (`standardizerOf`), computed once per frame: the covariance pca, mahalanobis
 * and omr each start from.
 */
export function standardisedMomentsOf(frame: Frame): CentredMoments {
  let m = moments.get(frame);
  if (!m) {
    const s = standardizerOf(frame);
    m = centredMoments(frame.values, frame.rows, s.kept.length, standardizeTransform(s));
    moments.set(frame, m);
  }
  return m;
}
