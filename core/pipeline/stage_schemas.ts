/**
 * Options of the fixed (non-plugin) stages: sensor health gating, calibration,
 * regimes, episodes, health index and the model refit policy. Each section has
 * a JSON Schema (draft 2020-12) with a description and default on every key;
 * the pipeline envelope schema composes them.
 */
import type { JsonSchema } from "../plugin.ts";

/** Options of sensor health gating (core/sensor_health). */
export interface SensorHealthOptions {
  max_nan_fraction: number;
  flatline_fraction: number;
  min_distinct_values: number;
  ranges: Record<string, { min?: number; max?: number }>;
  max_out_of_range_fraction: number;
}

/** Options of score calibration (core/calibration). */
export interface CalibrationOptions {
  min_scale: number;
  relative_scale_floor: number;
  tail_quantile: number;
  cross_fit_folds: number;
  cross_fit_max_rows: number;
  clip_z: number;
  per_regime: boolean;
  min_regime_rows: number;
}

/** Options of operating-regime clustering (core/regimes). */
export interface RegimeOptions {
  enabled: boolean;
  sensors: string[];
  operating_sensor_share: number;
  k_min: number;
  k_max: number;
  sample_rows: number;
  min_silhouette: number;
  split_min_share: number;
  min_regime_share: number;
  min_dwell_rows: number;
  min_dwell_s: number;
  unseen_factor: number;
  envelope_sd: number;
  envelope_spread_factor: number;
  transient_s: number;
  settle_s: number;
  ramp_z: number;
  ramp_window_s: number;
}

/** Options of the episode state machine (core/episodes). */
export interface EpisodeOptions {
  on_z: number;
  on_hold_rows: number;
  on_hold_s: number;
  off_z: number;
  off_hold_rows: number;
  off_hold_s: number;
  hold_unseen_regime: boolean;
  envelope_episode_s: number;
  min_duration_s: number;
  merge_gap_s: number;
  max_gap_s: number;
  warning_z: number;
  critical_z: number;
  top_culprits: number;
}

/** Options of the 0–100 health index (core/health). */
export interface HealthOptions {
  center_z: number;
  width_z: number;
  watch_below: number;
  alert_below: number;
}

/** Options of the model store and refit policy (core/replay). */
export interface ModelOptions {
  keep_versions: number;
  refit_every_chunks: number;
  max_age_days: number;
  incremental: boolean;
  update_max_z: number;
  max_missing_sensor_fraction: number;
  retrain_on_new_sensors: boolean;
}

const num = (description: string, def: number, extra: JsonSchema = {}): JsonSchema => ({
  type: "number",
  description,
  default: def,
  ...extra,
});
const int = (description: string, def: number, extra: JsonSchema = {}): JsonSchema => ({
  type: "integer",
  description,
  default: def,
  ...extra,
});
const section = (
  description: string,
  properties: Record<string, JsonSchema>,
  example: Record<string, unknown>,
): JsonSchema => ({
  type: "object",
  description,
  additionalProperties: false,
  properties,
  default: {},
  examples: [example],
});

/** JSON Schemas of the stage sections, keyed by the pipeline key. */
export const STAGE_SCHEMAS: Record<string, JsonSchema> = {
  sensor_health: section(
    "Sensor health gating: sensors that are mostly missing, stuck or out of physical range are reported and excluded from fitting.",
    {
      max_nan_fraction: num(
        "Exclude a sensor whose share of missing values in the training chunk exceeds this.",
        0.5,
        { minimum: 0, maximum: 1 },
      ),
      flatline_fraction: num(
        "Exclude a sensor whose longest run of one repeated value covers more than this share of training rows.",
        0.95,
        { minimum: 0, maximum: 1 },
      ),
      min_distinct_values: int(
        "Exclude a sensor with fewer distinct finite values than this in training.",
        2,
        { minimum: 1 },
      ),
      ranges: {
        type: "object",
        description:
          "Physical range per sensor name; values outside become missing and are counted.",
        default: {},
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          properties: {
            min: { type: "number", description: "Lowest physically possible value." },
            max: { type: "number", description: "Highest physically possible value." },
          },
        },
      },
      max_out_of_range_fraction: num(
        "Exclude a sensor whose share of out-of-range values in training exceeds this.",
        0.2,
        { minimum: 0, maximum: 1 },
      ),
    },
    { max_nan_fraction: 0.5, ranges: { "DEMO.SIM.FSAA": { min: 0 } } },
  ),
  calibration: section(
    "Calibration of every head's raw score to a z-score using robust statistics of its training scores (median, 1.4826·MAD).",
    {
      min_scale: num("Absolute floor of the robust scale.", 1e-9, { exclusiveMinimum: 0 }),
      relative_scale_floor: num(
        "Floor of the robust scale as a share of the training scores' standard deviation (guards a MAD of 0).",
        0.1,
        { minimum: 0 },
      ),
      tail_quantile: num(
        "Tail floor: the scale is at least (q − median)/Φ⁻¹(q) for this training quantile q, so a heavy-tailed head's own training tail maps to at most the normal z of q (0 disables).",
        0.99,
        { minimum: 0, exclusiveMaximum: 1 },
      ),
      cross_fit_folds: int(
        "Calibrate on out-of-fold scores: fit each head on all but one of this many contiguous blocks of the training rows, score the held-out block (0 or 1 = in-sample scores). In-sample scores are optimistic for flexible heads.",
        3,
        { minimum: 0, maximum: 10 },
      ),
      cross_fit_max_rows: int(
        "Cap on the rows each out-of-fold fit trains on (evenly spaced rows of the other blocks); keeps calibration cost flat on large bootstrap chunks.",
        20000,
        { minimum: 100 },
      ),
      clip_z: num("Calibrated z-scores are clipped to ±clip_z.", 50, { exclusiveMinimum: 0 }),
      per_regime: {
        type: "boolean",
        description: "Calibrate each operating regime on its own training scores.",
        default: false,
      },
      min_regime_rows: int(
        "A regime needs at least this many training rows to get its own calibration; smaller ones use the global one.",
        50,
        { minimum: 2 },
      ),
    },
    { clip_z: 50, per_regime: false },
  ),
  regimes: section(
    "Operating regimes: k-means++ on operating sensors, k chosen by silhouette, smoothed by a minimum dwell.",
    {
      enabled: { type: "boolean", description: "Cluster operating regimes.", default: true },
      sensors: {
        type: "array",
        items: { type: "string" },
        description:
          "Operating sensors to cluster on (empty = all healthy sensors, or those `operating_sensor_share` chooses).",
        default: [],
      },
      operating_sensor_share: num(
        "With no `sensors` named and this > 0, the operating sensors are chosen from the training chunk: the regimes are clustered on every healthy sensor, a sensor is kept when those regimes explain at least this share of its training variance (the correlation ratio η², between-regime over total variance), and the regimes are fitted again on the kept ones. Speed, current, flow and pressure follow the operating state (η² near 1); temperatures also follow the weather and their thermal lag, ambient only the weather, so a warm day beyond the training range does not leave the envelope. Fewer than min(3, d) kept sensors: all are used. 0 = off (all healthy sensors).",
        0,
        { minimum: 0, maximum: 1 },
      ),
      k_min: int("Smallest number of regimes tried.", 2, { minimum: 1 }),
      k_max: int("Largest number of regimes tried.", 6, { minimum: 1 }),
      sample_rows: int("Rows sampled (seeded) to compute the silhouette.", 2000, { minimum: 10 }),
      min_silhouette: num("Below this best silhouette the data is one regime.", 0.35, {
        minimum: -1,
        maximum: 1,
      }),
      split_min_share: num(
        "When > 0, each k-means partition of k − 1 regimes plus the training row farthest from its centres (refined by Lloyd iterations) is one more candidate of k regimes, kept when every regime holds at least this share of the search rows; the best silhouette among all candidates wins. k-means rarely seeds a short state far from the rest (one stop in two weeks of training) and merges it into its nearest regime, whose p99 distance then covers every stop. 0 = off (as before).",
        0,
        { minimum: 0, maximum: 0.5 },
      ),
      min_dwell_rows: int(
        "A regime run shorter than this many rows is absorbed by its neighbour.",
        3,
        { minimum: 0 },
      ),
      min_dwell_s: num(
        "A regime run shorter than this many seconds is absorbed by its neighbour.",
        0,
        { minimum: 0 },
      ),
      unseen_factor: num(
        "A row farther from every centre than this × that regime's training p99 distance is flagged as an unseen regime.",
        2,
        { exclusiveMinimum: 0 },
      ),
      min_regime_share: num(
        "When > 0, a regime holding fewer than this share of the training rows (a state training saw only briefly, such as its one stop) counts as outside the envelope: its rows are flagged `envelope` and, with `episodes.hold_unseen_regime`, held like an operating point training never saw (coming back from it starts `settle_s`). One short visit does not teach a model that state's relations and spread. 0 = off (as before).",
        0,
        { minimum: 0, maximum: 0.5 },
      ),
      envelope_sd: num(
        "An operating point is outside the training envelope (`envelope` flag) only when, beside `unseen_factor`, at least min(3, d) regime sensors lie more than this many training standard deviations from the nearest regime centre; one or two far sensors are a sensor fault, not a new operating state. 3 = as before.",
        3,
        { exclusiveMinimum: 0 },
      ),
      envelope_spread_factor: num(
        "When > 0, a regime sensor is far when it lies more than this × its own training p99 spread inside the nearest regime (instead of `envelope_sd` global standard deviations): a process that moved within the overall range but off its usual operating point leaves the envelope. 0 = off (as before).",
        0,
        { minimum: 0 },
      ),
      transient_s: num(
        "Rows within this many seconds after a regime change, an envelope entry or exit, or the last row of a ramp are transients (start-up, shut-down, load change): flagged `transient`, they neither open nor close episodes and are left out of calibration (0 = off).",
        0,
        { minimum: 0 },
      ),
      settle_s: num(
        "Rows within this many seconds after the operating point comes back from outside the training envelope (a start after a stop training never saw) are transients too, when longer than `transient_s`: the plant and the model's slow inputs need longer to settle from a state the model never learnt (0 = `transient_s` only).",
        0,
        { minimum: 0 },
      ),
      ramp_z: num(
        "A row is a ramp (the operating point moving: a start, a stop, a load change) when at least half of the d regime sensors (and at least min(3, d)) changed by more than this many training standard deviations within the last `ramp_window_s`; ramp rows are transients and restart `transient_s`. A one-sensor fault moves one sensor and is no ramp. 0 = off (as before).",
        0,
        { minimum: 0 },
      ),
      ramp_window_s: num("Look-back window of the ramp test, seconds.", 600, {
        exclusiveMinimum: 0,
      }),
    },
    { enabled: true, sensors: ["DWATT"], k_max: 4 },
  ),
  episodes: section(
    "Episodes: a hysteresis state machine on the fused z.",
    {
      on_z: num("An episode opens when fused z stays at or above this …", 3, {}),
      on_hold_rows: int("… for this many consecutive rows.", 3, { minimum: 1 }),
      on_hold_s: num("… and for at least this many seconds (0 = rows only).", 0, { minimum: 0 }),
      off_z: num("An open episode closes when fused z stays below this …", 1.5, {}),
      off_hold_rows: int("… for this many consecutive rows.", 5, { minimum: 1 }),
      off_hold_s: num("… and for at least this many seconds (0 = rows only).", 0, { minimum: 0 }),
      hold_unseen_regime: {
        type: "boolean",
        description:
          "Rows whose operating point lies outside every regime seen in training (flagged `envelope`, still scored) neither open nor close episodes: a machine in a mode training never saw is reported, not alarmed. With `envelope_episode_s` > 0 this holds only exits whose far regime sensors all lie below the envelope (a stop, a load below training); other exits are tested like any row.",
        default: true,
      },
      envelope_episode_s: num(
        "An exit from the training envelope in which some far regime sensor lies above the envelope (the process moved to a new state) and that lasts this many seconds becomes an episode of kind `envelope` from the exit's start; its rows are no longer held, so sensor-relationship residuals are still tested there. Judge the envelope on operating sensors (`regimes.sensors`), not on ambient-driven ones. 0 = off (as before: every exit is held when `hold_unseen_regime`).",
        0,
        { minimum: 0 },
      ),
      min_duration_s: num("Episodes shorter than this many seconds are dropped.", 0, {
        minimum: 0,
      }),
      merge_gap_s: num("Episodes separated by at most this many seconds are merged.", 0, {
        minimum: 0,
      }),
      max_gap_s: num(
        "A gap in the data longer than this many seconds (a long stop, an outage) closes the open episode at its last row before the gap, and every streaming detector (sequential tests, EWMAs) restarts its state after it. 0 = automatic: max(1 day, 50 × the chunk's median row spacing).",
        0,
        { minimum: 0 },
      ),
      warning_z: num("Peak fused z at or above which an episode is a warning.", 5, {}),
      critical_z: num("Peak fused z at or above which an episode is critical.", 10, {}),
      top_culprits: int("How many culprit sensors an episode names.", 3, { minimum: 1 }),
    },
    { on_z: 3, on_hold_rows: 3, off_z: 1.5, off_hold_rows: 5 },
  ),
  health: section(
    "Health index 0–100 from fused z: 100 at z ≤ 0, a logistic fall centred on center_z.",
    {
      center_z: num("Fused z at which health is about half.", 4, { exclusiveMinimum: 0 }),
      width_z: num("Width of the logistic fall, in z.", 1, { exclusiveMinimum: 0 }),
      watch_below: num("Health below this is the WATCH zone.", 80, { minimum: 0, maximum: 100 }),
      alert_below: num("Health below this is the ALERT zone.", 50, { minimum: 0, maximum: 100 }),
    },
    { center_z: 4, width_z: 1 },
  ),
  model: section(
    "Model store and refit policy.",
    {
      keep_versions: int("Model versions kept per asset (older ones are pruned).", 5, {
        minimum: 1,
      }),
      refit_every_chunks: int("Refit after this many scored chunks (0 = never).", 0, {
        minimum: 0,
      }),
      max_age_days: num(
        "Refit when the model's training data is older than this many days of chunk time (0 = never).",
        0,
        { minimum: 0 },
      ),
      incremental: {
        type: "boolean",
        description:
          "Let heads that support it learn from each scored chunk's rows judged normal (fused z below `update_max_z`, not held, in no episode): heads with `updateStream` (the condition model: residual centre and scale per sensor, forgotten per day) carry what they learnt in the stream state, tied to the fitted model; heads with `update` save a new model version.",
        default: false,
      },
      update_max_z: num(
        "With `incremental`, only rows whose fused z is below this are learnt from.",
        2,
        { exclusiveMinimum: 0 },
      ),
      max_missing_sensor_fraction: num(
        "A chunk in which more than this share of the model's sensors is missing or all-NaN is flagged as degraded (a warning and a note). Such a chunk is still scored on the sensors present and never retrains the model: a broken sensor must not become the training set.",
        0.25,
        { minimum: 0, maximum: 1 },
      ),
      retrain_on_new_sensors: {
        type: "boolean",
        description:
          "Retrain when a chunk brings sensor columns the model never saw (a deliberate instrumentation change). Off: new columns are noted and left out until a stated trigger (refit policy, pipeline change or --clear-cache) retrains.",
        default: false,
      },
    },
    { keep_versions: 5, refit_every_chunks: 0 },
  ),
};
