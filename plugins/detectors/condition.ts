/**
 * `condition` detector: a per-sensor condition model (core/numeric/condition_model.ts).
 * Each sensor's expected value comes from the OTHER sensors and their exponentially
 * weighted means over `time_constants_s` (ridge), the residual is scaled by its
 * robust out-of-fold training scale and AR-whitened, and per sensor Page CUSUM
 * tests watch for a mean shift up/down (two sizes), a variance increase and a
 * variance drop (stuck/flat). Score = max over sensors × tests of S/h (≥ 1: a test
 * crossed its limit); contributions = per-sensor max; `signatures` name the
 * winning sensor and test; `traces` give expected values and scaled residuals.
 * Streaming: the EWMA levels, whitening history and test statistics continue
 * across chunks (`scoreStream`). Incremental updates (`model.incremental`,
 * `updateStream`): each sensor's residual centre and scale follow the rows judged
 * normal, forgotten per day and within guard bands (core/numeric/residual_adapt.ts),
 * so slow seasonal change is followed; what is learnt rides in the stream state.
 */
import { alignColumns, stateOf, toFrameColumns } from "./_adapter.ts";
import type { Frame } from "../../core/frame.ts";
import {
  defineDetector,
  type DetectorScores,
  type PluginState,
  type StateValue,
} from "../../core/plugin.ts";
import {
  type ConditionModel,
  type ConditionSettings,
  type ConditionStream,
  fitCondition,
  scoreCondition,
} from "../../core/numeric/condition_model.ts";
import {
  adaptOf,
  type AdaptSettings,
  initialAdapt,
  type ResidualAdaptState,
  updateAdapt,
} from "../../core/numeric/residual_adapt.ts";
import { TEST_WORDS } from "../../core/numeric/sequential_tests.ts";

/** Options of `condition`. */
export interface ConditionOptions {
  time_constants_s: number[];
  alpha: number;
  folds: number;
  ar_order: number;
  mean_shifts: number[];
  variance_ratio_up: number;
  variance_ratio_down: number;
  frozen_test: boolean;
  extrapolation_scale: number;
  extrapolation_ridge: number;
  extrapolation_quantile: number;
  hold_missing_inputs: boolean;
  limit_margin: number;
  limit_floor: number;
  cap: number;
  clip: number;
  min_residual_scale: number;
  min_regime_rows: number;
  fold_block_s: number;
  update_guard: number;
  update_forget: number;
  update_max_shift: number;
  update_max_scale_ratio: number;
}

const NAME = "condition";
const VERSION = "1.3.0";

function settings(o: ConditionOptions): ConditionSettings {
  return {
    timeConstantsMs: o.time_constants_s.map((s) => s * 1000),
    alpha: o.alpha,
    folds: o.folds,
    arOrder: o.ar_order,
    meanShifts: o.mean_shifts,
    varianceUp: o.variance_ratio_up,
    varianceDown: o.variance_ratio_down,
    limitMargin: o.limit_margin,
    limitFloor: o.limit_floor,
    cap: o.cap,
    clip: o.clip,
    minResidualScale: o.min_residual_scale,
    minRegimeRows: o.min_regime_rows,
    foldBlockMs: o.fold_block_s * 1000,
    frozenTest: o.frozen_test,
    extrapolationScale: o.extrapolation_scale,
    extrapolationRidge: o.extrapolation_ridge,
    extrapolationQuantile: o.extrapolation_quantile,
    holdMissingInputs: o.hold_missing_inputs,
  };
}

const num = (description: string, value: number, extra: Record<string, unknown> = {}) => ({
  type: "number",
  description,
  default: value,
  ...extra,
});

export default defineDetector<ConditionOptions>({
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Condition model: each sensor expected from the others (ridge on values + EWMAs), whitened residual, per-sensor CUSUM tests (mean up/down, variance up/down); streaming state.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      time_constants_s: {
        type: "array",
        items: { type: "number", exclusiveMinimum: 0 },
        maxItems: 4,
        description:
          "Time constants (seconds) of the exponentially weighted means of the other sensors used as extra regression inputs (thermal lags). [] = static regression.",
        default: [600, 3600],
      },
      alpha: num(
        "Ridge penalty on the standardised covariance scale (sklearn Ridge(alpha = alpha × rows)).",
        0.05,
        { minimum: 0 },
      ),
      folds: {
        type: "integer",
        minimum: 1,
        maximum: 20,
        description:
          "Contiguous training folds for the out-of-fold residuals that set the scales, whitening and limits (1 = in-sample).",
        default: 5,
      },
      ar_order: {
        type: "integer",
        minimum: 0,
        maximum: 5,
        description: "Order of the AR whitening filter per sensor (0 = none).",
        default: 2,
      },
      mean_shifts: {
        type: "array",
        items: { type: "number", exclusiveMinimum: 0 },
        minItems: 1,
        maxItems: 4,
        description:
          "Mean-shift sizes (in whitened noise units) of the up and down CUSUM tests: a small one for slow drifts, a large one for steps.",
        default: [1, 4],
      },
      variance_ratio_up: num(
        "Variance ratio of the variance-increase test (noise bursts); ≤ 1 disables it.",
        4,
        { minimum: 0 },
      ),
      variance_ratio_down: num(
        "Variance ratio of the variance-drop test (stuck or flat sensor); 0 or ≥ 1 disables it.",
        0.2,
        { minimum: 0 },
      ),
      frozen_test: {
        type: "boolean",
        description:
          "Per sensor a frozen-reading test (a stuck sensor): a sequential test on whether each reading repeats the previous one, against the repeat probability seen in training per operating regime (a stopped machine's current reads 0.00 row after row, a running one's almost never); its limit comes from the training statistics like the other tests'. Signature word `frozen`. Unlike `variance_ratio_down` it does not read a quiet state whose residual scale training over-estimated as stuck.",
        default: false,
      },
      extrapolation_scale: num(
        "Residual scale outside the training envelope (core/numeric/extrapolation_scale.ts): per sensor, how far the OTHER sensors' readings (its expected value's inputs) lie beyond their training envelope (leave-one-out Mahalanobis distance past its training 99th percentile), times this factor in that sensor's standard deviations, is added to its residual scale in quadrature: a relation read outside the data that fitted it is uncertain in proportion to how far out its inputs are. A faulty sensor moves the others' inputs, not its own, so it keeps its scale while the residuals it drags along are discounted. The tests read the whitened residual times scale / √(scale² + (factor × excess)²); the variance-drop test (variance_ratio_down) would read that as a quiet sensor, so keep it off with this (the frozen-reading test reads the raw readings). 0 = off.",
        0,
        { minimum: 0 },
      ),
      extrapolation_ridge: num(
        "extrapolation_scale: ridge added to the diagonal of the sensors' training correlation matrix before it is inverted for the distance, so a tiny change in a near-exact relation does not look infinitely far.",
        0.01,
        { exclusiveMinimum: 0 },
      ),
      extrapolation_quantile: num(
        "extrapolation_scale: training quantile of each sensor's leave-one-out distance taken as the envelope's edge (no discount inside it).",
        0.99,
        { minimum: 0.5, maximum: 1 },
      ),
      hold_missing_inputs: {
        type: "boolean",
        description:
          "When scoring, a missing reading of an input sensor is its last finite reading (last value hold, carried across chunks) instead of its fastest EWMA: while a temperature is still settling after a load change its 10-min EWMA lags the reading, and with collinear inputs one missing cell moved another sensor's expected value by several noise units. The sensor's own residual stays missing.",
        default: false,
      },
      limit_margin: num(
        "Each test's limit per sensor = max(limit_floor, limit_margin × its largest out-of-fold training statistic).",
        1.2,
        { exclusiveMinimum: 0 },
      ),
      limit_floor: num(
        "Smallest limit of any test (log-likelihood-ratio units), so a lucky-quiet sensor gets no hair trigger.",
        10,
        { exclusiveMinimum: 0 },
      ),
      cap: num(
        "Statistics are capped at cap × limit, so an alarm clears soon after the fault ends.",
        1.5,
        { minimum: 1 },
      ),
      clip: num(
        "Whitened residuals are clipped to ±clip before a test reads them (one wild sample cannot decide alone).",
        6,
        { exclusiveMinimum: 0 },
      ),
      min_residual_scale: num(
        "Floor of a sensor's residual scale, in training standard deviations of that sensor.",
        0.01,
        { exclusiveMinimum: 0 },
      ),
      min_regime_rows: {
        type: "integer",
        minimum: 0,
        description:
          "An operating regime with at least this many steady training rows gets its own residual centre and scale per sensor (0 = one pooled scale).",
        default: 200,
      },
      fold_block_s: num(
        "Out-of-fold folds are time blocks of this many seconds dealt to the folds in turn, so a state seen once in training (one stop) informs every fold's model; 0 = contiguous folds.",
        0,
        { minimum: 0 },
      ),
      update_guard: num(
        "Incremental updates (model.incremental) learn a sensor's residual only where it lies within ±update_guard of its learned centre (in learned scale units): a developing fault's rows are not learnt.",
        3,
        { exclusiveMinimum: 0 },
      ),
      update_forget: num(
        "Incremental updates: weight the learned residual statistics keep per day of data (memory about 1/(1 − update_forget) days; 1 = never forget). The training rows are the starting weight. On tuning seed 1 of the seasonal_drift fleet 0.5 gave 31.4 false episodes per 30 asset-days, 0.7 32.6, incremental off 36.4.",
        0.5,
        { exclusiveMinimum: 0, maximum: 1 },
      ),
      update_max_shift: num(
        "Incremental updates: largest learned shift of a sensor's residual centre, in trained residual scales (a guard band).",
        4,
        { minimum: 0 },
      ),
      update_max_scale_ratio: num(
        "Incremental updates: the learned residual scale stays within [1, ratio] × the trained one (it may widen, never narrow below the spread that set the test limits).",
        2,
        { minimum: 1 },
      ),
    },
    examples: [
      { time_constants_s: [600, 3600], mean_shifts: [1, 4] },
      { time_constants_s: [], ar_order: 1, limit_floor: 8 },
      { extrapolation_scale: 0.05, variance_ratio_down: 0 },
    ],
  },
  create(options, ctx) {
    const o = settings(options);
    let fitted: { columns: string[]; model: ConditionModel } | null = null;
    // The training frame and its out-of-fold residuals: scoring that same frame
    // (the engine's training scores for calibration) reads them instead of the
    // optimistic in-sample residuals. Frames are immutable, so identity is exact.
    let training: { frame: Frame; oof: Float64Array } | null = null;
    const need = () => fitted ?? ctx.fail("Cannot score: the condition detector is not fitted");
    const adaptSettings: AdaptSettings = {
      forget: options.update_forget,
      guard: options.update_guard,
      maxShift: options.update_max_shift,
      maxRatio: options.update_max_scale_ratio,
    };
    // Residuals of the frames last scored with a learned state, for updateStream
    // (frames are immutable, so identity is exact; entries go with their frames).
    const scored = new WeakMap<
      Frame,
      { residual: Float64Array; center: Float64Array; scale: Float64Array }
    >();
    const adaptFor = (learned: StateValue | null | undefined) =>
      learned ? adaptOf(learned as unknown as ResidualAdaptState, adaptSettings) : null;
    const run = (
      frame: Frame,
      stream: ConditionStream | null,
      contributions: boolean,
      hold: Uint8Array | undefined,
      regimes: Int32Array | undefined,
      learned?: StateValue | null,
    ) => {
      const f = need();
      const { values, map } = alignColumns(frame, f.columns);
      const oof = training?.frame === frame && stream === null ? training.oof : undefined;
      const s = scoreCondition(
        f.model,
        o,
        values,
        frame.rows,
        frame.timestamps,
        stream,
        oof,
        hold && hold.length === frame.rows ? hold : null,
        regimes && regimes.length === frame.rows ? regimes : null,
        adaptFor(learned),
      );
      if (learned !== undefined) {
        const a = adaptFor(learned) ??
          {
            center: new Float64Array(f.columns.length),
            scale: new Float64Array(f.columns.length).fill(1),
          };
        scored.set(frame, { residual: s.residual, ...a });
      }
      const scores: DetectorScores = {
        outputs: { "": s.score },
        traces: { sensors: [...f.columns], expected: s.expected, residual: s.residual },
        signatures: {
          "": { sensors: [...f.columns], tests: [...TEST_WORDS], sensor: s.sensor, test: s.test },
        },
      };
      if (contributions) scores.contributions = { "": toFrameColumns(s.perSensor, frame, map) };
      return { scores, stream: s.stream };
    };
    return {
      outputs: [""],
      limitScaled: true,
      fit(frame: Frame, fitOptions = {}) {
        if (frame.rows < 10) {
          ctx.fail(`Cannot fit: ${frame.rows} training rows, at least 10 needed`);
        }
        const fit = fitCondition(
          frame.values,
          frame.rows,
          frame.columns.length,
          frame.timestamps,
          o,
          fitOptions.hold && fitOptions.hold.length === frame.rows ? fitOptions.hold : null,
          fitOptions.regimes && fitOptions.regimes.length === frame.rows
            ? fitOptions.regimes
            : null,
        );
        fitted = { columns: [...frame.columns], model: fit.model };
        training = { frame, oof: fit.oof };
      },
      score(frame, opts = {}) {
        return run(frame, null, opts.contributions !== false, opts.hold, opts.regimes, opts.learned)
          .scores;
      },
      scoreStream(frame, state, opts = {}) {
        const r = run(
          frame,
          state as unknown as ConditionStream | null,
          opts.contributions !== false,
          opts.hold,
          opts.regimes,
          opts.learned,
        );
        return { scores: r.scores, state: r.stream as unknown as StateValue };
      },
      updateStream(frame, learn, learned) {
        const f = need();
        const d = f.columns.length;
        const state = (learned as unknown as ResidualAdaptState | null) ??
          initialAdapt(d, f.model.stats.n);
        // The residuals as scored; a frame never scored here is scored afresh (its
        // first rows then lack the previous chunk's EWMA levels).
        const cached = scored.get(frame) ?? (() => {
          run(frame, null, false, undefined, undefined, learned ?? null);
          return scored.get(frame)!;
        })();
        const q = new Float64Array(frame.rows * d);
        for (let j = 0; j < d; j++) {
          for (let i = 0; i < frame.rows; i++) {
            const k = j * frame.rows + i;
            q[k] = cached.residual[k] * cached.scale[j] + cached.center[j];
          }
        }
        const mask = learn.length === frame.rows ? learn : new Uint8Array(frame.rows);
        const next = updateAdapt(state, q, frame.rows, frame.timestamps, mask, adaptSettings);
        return next.state as unknown as StateValue;
      },
      save(): PluginState {
        const f = need();
        return {
          plugin: NAME,
          version: VERSION,
          data: { columns: f.columns, model: f.model as unknown as StateValue },
        };
      },
      load(state: PluginState) {
        const d = stateOf<{ columns: string[]; model: ConditionModel }>(state, NAME, ctx);
        fitted = { columns: [...d.columns], model: structuredClone(d.model) };
        training = null;
      },
      metrics() {
        const m = need().model;
        let floorHits = 0;
        for (const h of m.limits) if (h <= options.limit_floor) floorHits++;
        return {
          sensors: m.d,
          design_columns: m.p,
          tests: m.tests.length,
          limits_at_floor: floorHits,
          training_rows: m.stats.n,
        };
      },
    };
  },
});
