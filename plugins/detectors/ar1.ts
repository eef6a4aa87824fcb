/**
 * `ar1` detector: per input column an AR(1) model (ACM V8 §4.1); score = the
 * row aggregate of |one-step residual|/σ. Cheap (O(d) per row), so it suits raw
 * sensors and wide rolling-feature frames alike. Supports `update` (sufficient
 * statistics are merged, then μ, φ, σ re-derived).
 */
import { alignColumns, stateOf, withContributions } from "./_adapter.ts";
import type { Frame } from "../../core/frame.ts";
import { defineDetector, type PluginState, type ScoreOptions } from "../../core/plugin.ts";
import {
  aggregateRows,
  type Ar1Aggregate,
  type Ar1Params,
  ar1Params,
  ar1Scores,
  type Ar1Stats,
  ar1Stats,
  ar1Z,
  ar1ZRows,
  mergeAr1Stats,
  shareContributions,
} from "../../core/numeric/ar1.ts";
import { scatterColumns } from "../../core/numeric/standardize.ts";

/** Options of `ar1`. */
export interface Ar1DetectorOptions {
  aggregate: Ar1Aggregate;
  phi_cap: number;
  sigma_floor_ratio: number;
}

interface Fitted {
  columns: string[];
  stats: Ar1Stats;
  params: Ar1Params;
}

const NAME = "ar1";
const VERSION = "1.0.0";
const STAT_FIELDS = ["shift", "n", "s1", "s2", "np", "sa", "sb", "saa", "sbb", "sab"] as const;

export default defineDetector<Ar1DetectorOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Per-column AR(1) one-step residual z = |x − μ − φ(x₋₁ − μ)|/σ aggregated per row; fits raw sensors or rolling features; supports update.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      aggregate: {
        type: "string",
        enum: ["mean", "max", "p95"],
        description:
          "How the column z's of a row become its score (finite columns only; the first row of a chunk predicts from μ).",
        default: "mean",
      },
      phi_cap: {
        type: "number",
        minimum: 0,
        exclusiveMaximum: 1,
        description: "Largest |φ| allowed (keeps the model stationary).",
        default: 0.999,
      },
      sigma_floor_ratio: {
        type: "number",
        minimum: 0,
        description:
          "σ is at least this share of the column's training std, so a near-perfectly predictable column cannot dominate.",
        default: 1e-3,
      },
    },
    examples: [{ aggregate: "mean" }, { aggregate: "p95", phi_cap: 0.99, sigma_floor_ratio: 0.01 }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted => fitted ?? ctx.fail("Cannot score: the ar1 detector is not fitted");
    const derive = (stats: Ar1Stats) =>
      ar1Params(stats, options.phi_cap, options.sigma_floor_ratio);
    return {
      outputs: [""],
      rowContributions: true,
      fit(frame: Frame) {
        const stats = ar1Stats(frame.values, frame.rows, frame.columns.length);
        fitted = { columns: [...frame.columns], stats, params: derive(stats) };
      },
      score(frame: Frame, opts: ScoreOptions = {}) {
        const f = need();
        const { values, map } = alignColumns(frame, f.columns);
        if (opts.contributions === false && !opts.rows) {
          return { outputs: { "": ar1Scores(f.params, values, frame.rows, options.aggregate) } };
        }
        // `rows`: z of those rows only, each lagged on the frame's previous row.
        const n = opts.rows ? opts.rows.length : frame.rows;
        const z = opts.rows
          ? ar1ZRows(f.params, values, frame.rows, opts.rows)
          : ar1Z(f.params, values, frame.rows);
        const score = aggregateRows(z, n, f.params.constant, options.aggregate);
        if (opts.contributions === false) return { outputs: { "": score } };
        const contributions = shareContributions(z, n, f.params.constant, score);
        const all = Int32Array.from(f.columns, (_, j) => j);
        return withContributions(
          score,
          scatterColumns(contributions, n, all, map, frame.columns.length),
        );
      },
      update(frame: Frame) {
        const f = need();
        const { values } = alignColumns(frame, f.columns);
        const add = ar1Stats(values, frame.rows, f.columns.length, f.stats.shift);
        const stats = mergeAr1Stats(f.stats, add);
        fitted = { columns: f.columns, stats, params: derive(stats) };
      },
      save(): PluginState {
        const f = need();
        const data: Record<string, string[] | Float64Array> = { columns: f.columns };
        for (const k of STAT_FIELDS) data[k] = f.stats[k];
        return { plugin: NAME, version: VERSION, data };
      },
      load(state: PluginState) {
        const d = stateOf<Record<string, unknown>>(state, NAME, ctx);
        const stats = Object.fromEntries(
          STAT_FIELDS.map((k) => [k, d[k] as Float64Array]),
        ) as unknown as Ar1Stats;
        fitted = { columns: d.columns as string[], stats, params: derive(stats) };
      },
      metrics() {
        const f = need();
        const p = f.params;
        let live = 0, phiSum = 0;
        p.constant.forEach((c, j) => {
          if (!c) {
            live++;
            phiSum += p.phi[j];
          }
        });
        return {
          columns: f.columns.length,
          constant_columns: f.columns.length - live,
          mean_phi: live > 0 ? phiSum / live : 0,
          training_values: f.stats.n.reduce((a, b) => a + b, 0),
        };
      },
    };
  },
});
