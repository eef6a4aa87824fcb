/** Shared by the detector adapters: one-output scores with contributions mapped to the scored frame's columns. */
import type { DetectorScores } from "../../core/plugin.ts";
import { type Frame, selectRows } from "../../core/frame.ts";
import { scatterColumns, type Standardizer } from "../../core/numeric/standardize.ts";

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
  if (!contributions) return { outputs: { "": score } };
  return {
    outputs: { "": score },
    contributions: { "": scatterColumns(contributions, rows, scaler.kept, map, columns) },
  };
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
