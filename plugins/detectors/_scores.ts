/** Shared by the detector adapters: one-output scores with contributions mapped to the scored frame's columns. */
import type { DetectorScores } from "../../core/plugin.ts";
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
