/**
 * `rolling` feature: per input column, trailing-window statistics (median, MAD,
 * mean, std, slope, skew, kurtosis, robust z) plus optional lags and differences.
 * One deterministic implementation (core/numeric/rolling.ts); the engine prepends
 * the previous chunk's last `lookback` rows, so windows do not restart at chunk edges.
 */
import { makeFrame } from "../../core/frame.ts";
import { defineFeature } from "../../core/plugin.ts";
import {
  diffSeries,
  lagSeries,
  ROLLING_STATS,
  type RollingStat,
  rollingStats,
} from "../../core/numeric/rolling.ts";

/** Options of `rolling`. */
export interface RollingOptions {
  window_rows: number;
  window_s: number;
  stats: RollingStat[];
  lags: number[];
  diffs: number[];
  rz_clip: number;
}

const rowList = (description: string) => ({
  type: "array",
  items: { type: "integer", minimum: 1 },
  uniqueItems: true,
  description,
  default: [],
});

export default defineFeature<RollingOptions>({
  kind: "feature",
  name: "rolling",
  version: "1.0.0",
  summary:
    "Trailing rolling-window statistics per sensor (median, mad, mean, std, slope, skew, kurt, rz) plus lags and differences; columns `<column>_<stat>`.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      window_rows: {
        type: "integer",
        minimum: 1,
        description:
          "Window length in rows (the row itself and the rows before it). Used when `window_s` is 0.",
        default: 16,
      },
      window_s: {
        type: "number",
        minimum: 0,
        description:
          "Window length in seconds for irregular time series: the rows with timestamp > t − window_s. 0 = use `window_rows`.",
        default: 0,
      },
      stats: {
        type: "array",
        items: { type: "string", enum: [...ROLLING_STATS] },
        minItems: 1,
        uniqueItems: true,
        description:
          "Statistics per column, in output order. NaN values in a window are skipped; a window without a finite value gives NaN. std: sample std (0 for one value); slope: per row; skew/kurt: bias-corrected, 0 below 3/4 values; rz: (x − median)/(1.4826·max(mad, 1e-9)).",
        default: [...ROLLING_STATS],
      },
      lags: rowList(
        "Row lags: column `<column>_lag<k>` = value k rows earlier (NaN without history).",
      ),
      diffs: rowList("Row differences: column `<column>_diff<k>` = value − value k rows earlier."),
      rz_clip: {
        type: "number",
        exclusiveMinimum: 0,
        description:
          "Robust z is clipped to ±rz_clip (a flat window has MAD 0, which would make rz explode).",
        default: 100,
      },
    },
    examples: [
      { window_rows: 16, stats: ["median", "mad", "mean", "std", "slope", "skew", "kurt", "rz"] },
      { window_s: 600, stats: ["median", "mad", "rz"], lags: [1], diffs: [1] },
    ],
  },
  create(options) {
    const windowMs = options.window_s * 1000;
    const stats = options.stats;
    const maxLag = Math.max(0, ...options.lags, ...options.diffs);
    return {
      lookback: {
        rows: Math.max(windowMs > 0 ? 0 : options.window_rows - 1, maxLag),
        ms: windowMs,
      },
      transform(frame) {
        const n = frame.rows;
        const perColumn = stats.length + options.lags.length + options.diffs.length;
        const values = new Float64Array(n * perColumn * frame.columns.length);
        const columns: string[] = [];
        const sensors: string[] = [];
        let k = 0;
        const next = () => values.subarray(k * n, ++k * n);
        frame.columns.forEach((name, j) => {
          const x = frame.values.subarray(j * n, (j + 1) * n);
          const outs = stats.map(() => next());
          rollingStats(
            x,
            frame.timestamps,
            { rows: options.window_rows, ms: windowMs },
            stats,
            options.rz_clip,
            outs,
          );
          for (const s of stats) columns.push(`${name}_${s}`);
          for (const lag of options.lags) {
            lagSeries(x, lag, next());
            columns.push(`${name}_lag${lag}`);
          }
          for (const lag of options.diffs) {
            diffSeries(x, lag, next());
            columns.push(`${name}_diff${lag}`);
          }
          for (let c = 0; c < perColumn; c++) sensors.push(frame.sensors[j]);
        });
        return makeFrame({ columns, sensors, values, timestamps: frame.timestamps.slice() });
      },
    };
  },
});
