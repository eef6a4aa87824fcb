/**
 * The condition model (expected value per sensor + sequential residual tests, the
 * method of MSET–SPRT style monitoring; Gross et al. 1997, "Application of a
 * model-based fault detection system to nuclear plant signals"): fit on a
 * training frame, then per row
 *   1. each sensor's expected value from the OTHER sensors and their EWMAs
 *      (ridge regression, condition_design.ts);
 *   2. residual / its robust out-of-fold training scale;
 *   3. AR(p) whitening (whiten.ts);
 *   4. per sensor a battery of Page CUSUM tests (sequential_tests.ts), each with
 *      its own limit from the out-of-fold training statistics (with a floor);
 *   5. score = max over sensors × tests of S/h, with the winning sensor and test.
 * Out-of-fold residuals come from contiguous folds fitted by subtracting each
 * fold's sufficient statistics from the total (regression_stats.ts).
 */
import { forEachDesignBlock, predictorsOf, standardise } from "./condition_design.ts";
import { Predictor, predictStream } from "./condition_predict.ts";
import { type EwmaCarry, ewmaLevels } from "./ewma_inputs.ts";
import {
  accumulateRows,
  addAccumulated,
  addStats,
  covarianceOf,
  emptyStats,
  type RegressionStats,
  ridgeFromCovariance,
  statsAccumulator,
  subtractStats,
} from "./regression_stats.ts";
import { fitWhitener, whiten } from "./whiten.ts";
import {
  runBattery,
  type SequentialTest,
  TEST_WORDS,
  testBattery,
  testLimit,
} from "./sequential_tests.ts";
import { compactFinite, selectMedian } from "./standardize.ts";
import { fitFrozen, type FrozenFit, runFrozen } from "./frozen_reading.ts";
import { excessDistance, type ExtrapolationFit, fitExtrapolation } from "./extrapolation_scale.ts";
import { fillForward } from "./fill_forward.ts";

/** Settings of the condition model (the detector's options, in SI units). */
export interface ConditionSettings {
  timeConstantsMs: number[];
  alpha: number;
  folds: number;
  arOrder: number;
  meanShifts: number[];
  varianceUp: number;
  varianceDown: number;
  limitMargin: number;
  limitFloor: number;
  cap: number;
  clip: number;
  minResidualScale: number;
  /** Fewest steady training rows of an operating regime for its own residual centre and scale. */
  minRegimeRows: number;
  /** Length of the time blocks dealt to the out-of-fold folds in turn (0 = contiguous folds). */
  foldBlockMs: number;
  /** Run the frozen-reading test per sensor (frozen_reading.ts); absent = off. */
  frozenTest?: boolean;
  /**
   * κ of extrapolation_scale.ts: residual scale² += (κ × how far the other
   * sensors lie beyond the training envelope)², in sensor standard deviations;
   * absent or 0 = off.
   */
  extrapolationScale?: number;
  /** Ridge λ of the envelope's correlation matrix; absent = ENVELOPE_RIDGE. */
  extrapolationRidge?: number;
  /** Training quantile of the envelope's edge; absent = ENVELOPE_QUANTILE. */
  extrapolationQuantile?: number;
  /**
   * When scoring, a missing input reading is its sensor's last finite reading
   * (fill_forward.ts) instead of its fastest EWMA; absent = off.
   */
  holdMissingInputs?: boolean;
}

/** Defaults of the training envelope (extrapolation_scale.ts): ridge λ and edge quantile. */
const ENVELOPE_RIDGE = 0.01, ENVELOPE_QUANTILE = 0.99;

/** A fitted condition model (plain data + typed arrays). */
export interface ConditionModel {
  d: number;
  p: number;
  mean: Float64Array;
  std: Float64Array;
  intercept: Float64Array;
  /** d × p row-major regression coefficients. */
  coef: Float64Array;
  /** Robust out-of-fold residual scale per sensor (standardised units). */
  resScale: Float64Array;
  /**
   * Operating regimes with their own residual centre and scale (labels), and
   * those per regime × sensor (R × d, standardised units): a relation fits some
   * operating states better than others, and a pooled scale would read a
   * well-fitted state as a variance drop.
   */
  regimeLabels: number[];
  regimeCenter: Float64Array;
  regimeScale: Float64Array;
  /** d × arOrder AR coefficients, and the innovation scale per sensor. */
  phi: Float64Array;
  innovScale: Float64Array;
  tests: SequentialTest[];
  /** d × tests limits. */
  limits: Float64Array;
  /** Regression sufficient statistics of the training rows (incremental updates). */
  stats: RegressionStats;
  /** The frozen-reading test's repeat weights and limits (absent: the test is off). */
  frozen?: FrozenFit;
  /** The training envelope of the readings (absent: no extrapolation scale). */
  extrapolation?: ExtrapolationFit;
}

/** A fitted model and the out-of-fold residuals of its training rows (standardised units, rows × d). */
export interface ConditionFit {
  model: ConditionModel;
  oof: Float64Array;
}

/** What a stream carries between chunks. */
export interface ConditionStream {
  ewma: EwmaCarry;
  /** d × arOrder whitening history. */
  history: Float64Array;
  /** d × tests CUSUM statistics. */
  s: Float64Array;
  /** Per sensor, the frozen-reading statistic and last finite reading (with `model.frozen`). */
  frozen?: Float64Array;
  last?: Float64Array;
  /** Per sensor, the last finite standardised reading (with `holdMissingInputs`). */
  held?: Float64Array;
}

/** One scored frame. */
export interface ConditionScores {
  score: Float64Array;
  /** rows × d column-major: max over tests of S/h per sensor. */
  perSensor: Float64Array;
  /** Expected values (original units) and scaled residuals, rows × d column-major. */
  expected: Float64Array;
  residual: Float64Array;
  /** Winning sensor and test word index per row (-1 below `nameFrom`). */
  sensor: Int32Array;
  test: Int32Array;
  stream: ConditionStream;
}

/** Rows per block of the design while fitting (one block: DESIGN_BLOCK × p values). */
const DESIGN_BLOCK = 1024;

/** Rows whose S/h is below this name no culprit or signature (nothing is building up). */
export const NAME_FROM = 0.5;

/**
 * Robust centre (median) and scale (1.4826·MAD, floored by ¼ RMS deviation and
 * `floor`) of the finite values `buf[0..n)` (reordered in place).
 */
function robustCenterScaleOf(buf: Float64Array, n: number, floor: number): [number, number] {
  if (n === 0) return [0, floor];
  const a = buf.subarray(0, n);
  const med = selectMedian(a);
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    a[i] = Math.abs(a[i] - med);
    s2 += a[i] * a[i];
  }
  const mad = 1.4826 * selectMedian(a);
  return [med, Math.max(mad, 0.25 * Math.sqrt(s2 / n), floor)];
}

/**
 * Fold of each training row: `folds` contiguous blocks of rows (blockMs = 0), or
 * blocks of `blockMs` of time dealt to the folds in turn, so an operating state
 * seen once in training (one stop) lies in several folds and each fold's model
 * has seen part of it.
 */
export function assignFolds(
  timestamps: Float64Array,
  rows: number,
  folds: number,
  blockMs: number,
): Int32Array {
  const out = new Int32Array(rows);
  if (folds <= 1) return out;
  const t0 = rows > 0 ? timestamps[0] : 0;
  for (let i = 0; i < rows; i++) {
    out[i] = blockMs > 0
      ? Math.floor((timestamps[i] - t0) / blockMs) % folds
      : Math.min(folds - 1, Math.floor((i * folds) / rows));
  }
  return out;
}

/** Regime labels (ascending) with at least `minRows` steady (not held) training rows. */
function steadyRegimes(
  labels: Int32Array | null,
  hold: Uint8Array | null,
  rows: number,
  minRows: number,
): number[] {
  if (!labels || labels.length !== rows || !(minRows > 0)) return [];
  const counts = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    if (labels[i] < 0 || (hold && hold[i])) continue;
    counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= minRows).map(([l]) => l).sort((a, b) => a - b);
}

/** Per row, the index into `regimeLabels` of its label (-1: pooled statistics). */
function regimeSlots(labels: Int32Array | null, regimeLabels: number[], rows: number): Int32Array {
  const slot = new Int32Array(rows).fill(-1);
  if (!labels || labels.length !== rows || regimeLabels.length === 0) return slot;
  const index = new Map(regimeLabels.map((l, g) => [l, g]));
  for (let i = 0; i < rows; i++) slot[i] = index.get(labels[i]) ?? -1;
  return slot;
}

function fitCoefficients(stats: RegressionStats, d: number, K: number, alpha: number) {
  const p = stats.p;
  const intercept = new Float64Array(d), coef = new Float64Array(d * p);
  const cov = covarianceOf(stats);
  for (let j = 0; j < d; j++) {
    const fit = ridgeFromCovariance(cov, j, predictorsOf(j, d, K), alpha);
    intercept[j] = fit.intercept;
    coef.set(fit.coef, j * p);
  }
  return { intercept, coef };
}

/** Rows where every sensor is finite (they shape the regression statistics). */
function completeRows(z: Float64Array, rows: number, d: number): Uint8Array {
  const use = new Uint8Array(rows).fill(1);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < rows; i++) {
      const v = z[j * rows + i];
      if (v - v !== 0) use[i] = 0;
    }
  }
  return use;
}

/**
 * Fits the model on column-major `values` (rows × d) with their timestamps. Rows
 * where `hold` is 1 (transients, unseen operating points) shape the regression
 * but not the residual scales, the whitening or the test limits.
 */
export function fitCondition(
  values: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  o: ConditionSettings,
  hold: Uint8Array | null = null,
  labels: Int32Array | null = null,
): ConditionFit {
  const K = o.timeConstantsMs.length, p = d * (1 + K);
  const mean = new Float64Array(d), std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let n = 0, s = 0, s2 = 0;
    for (let i = 0; i < rows; i++) {
      const v = values[j * rows + i];
      if (v - v !== 0) continue;
      n++;
      s += v;
      s2 += v * v;
    }
    mean[j] = n > 0 ? s / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(0, s2 / n - mean[j] * mean[j])) : 0;
    std[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  const z = standardise(values, rows, mean, std);
  const use = completeRows(z, rows, d);
  const folds = Math.max(1, Math.min(o.folds, Math.floor(rows / 50)));
  const foldOf = assignFolds(timestamps, rows, folds, o.foldBlockMs);
  // The design is built block by block twice (the statistics, then the
  // out-of-fold predictions) rather than held whole: rows × p values.
  const taus = o.timeConstantsMs;
  const acc = Array.from({ length: folds }, () => statsAccumulator(p));
  const idx = new Int32Array(DESIGN_BLOCK);
  forEachDesignBlock(z, rows, d, timestamps, taus, null, DESIGN_BLOCK, (xb, i0, n) => {
    for (let f = 0; f < folds; f++) {
      let m = 0;
      for (let i = 0; i < n; i++) if (use[i0 + i] && foldOf[i0 + i] === f) idx[m++] = i;
      if (m > 0) accumulateRows(acc[f], xb, DESIGN_BLOCK, 0, idx, m);
    }
  });
  const foldStats: RegressionStats[] = [];
  const total = emptyStats(p);
  for (let f = 0; f < folds; f++) {
    const s = emptyStats(p);
    addAccumulated(s, acc[f]);
    foldStats.push(s);
    addStats(total, s);
  }
  // Out-of-fold residuals (in-sample when there is a single fold): each run of
  // rows of one fold is predicted by that fold's model. The predictions go into
  // `oof`, which becomes the residuals in place.
  const oof = new Float64Array(rows * d);
  const foldFits: Predictor[] = [];
  const foldFit = (f: number) => {
    if (foldFits[f]) return foldFits[f];
    const fit = fitCoefficients(
      folds > 1 ? subtractStats(total, foldStats[f]) : total,
      d,
      K,
      o.alpha,
    );
    return foldFits[f] = new Predictor(d, p, fit.intercept, fit.coef);
  };
  forEachDesignBlock(z, rows, d, timestamps, taus, null, DESIGN_BLOCK, (xb, i0, n) => {
    for (let i = 0; i < n;) {
      const f = foldOf[i0 + i];
      let end = i + 1;
      while (end < n && foldOf[i0 + end] === f) end++;
      foldFit(f).predict(xb, DESIGN_BLOCK, i, end - i, oof, rows, i0 + i);
      i = end;
    }
  });
  for (let k = 0; k < rows * d; k++) oof[k] = z[k] - oof[k];
  const { intercept, coef } = fitCoefficients(total, d, K, o.alpha);
  const tests = testBattery(o.meanShifts, o.varianceUp, o.varianceDown);
  const T = tests.length;
  const resScale = new Float64Array(d), innovScale = new Float64Array(d);
  const phi = new Float64Array(d * o.arOrder), limits = new Float64Array(d * T);
  const steady = new Float64Array(rows);
  const regimeLabels = steadyRegimes(labels, hold, rows, o.minRegimeRows);
  const R = regimeLabels.length;
  const regimeCenter = new Float64Array(R * d), regimeScale = new Float64Array(R * d);
  const slot = regimeSlots(labels, regimeLabels, rows);
  const buf = new Float64Array(rows);
  // Rows of each regime slot, in row order.
  const slotRows: Int32Array[] = [];
  for (let g = 0; g < R; g++) {
    let n = 0;
    for (let i = 0; i < rows; i++) if (slot[i] === g) n++;
    const list = new Int32Array(n);
    n = 0;
    for (let i = 0; i < rows; i++) if (slot[i] === g) list[n++] = i;
    slotRows.push(list);
  }
  const q = new Float64Array(rows), e = new Float64Array(rows);
  const ones = new Float64Array(T).fill(1), sEnd = new Float64Array(T), max = new Float64Array(T);
  for (let j = 0; j < d; j++) {
    const r = oof.subarray(j * rows, (j + 1) * rows);
    // Held rows read as missing for the scales and the whitening.
    for (let i = 0; i < rows; i++) steady[i] = hold && hold[i] ? NaN : r[i];
    buf.set(steady);
    resScale[j] = robustCenterScaleOf(buf, compactFinite(buf), o.minResidualScale)[1];
    for (let g = 0; g < R; g++) {
      const list = slotRows[g];
      let n = 0;
      for (let k = 0; k < list.length; k++) {
        const v = steady[list[k]];
        if (v - v === 0) buf[n++] = v;
      }
      const [c, sc] = robustCenterScaleOf(buf, n, o.minResidualScale);
      regimeCenter[g * d + j] = c;
      regimeScale[g * d + j] = sc;
    }
    for (let i = 0; i < rows; i++) {
      const g = slot[i];
      q[i] = g < 0
        ? steady[i] / resScale[j]
        : (steady[i] - regimeCenter[g * d + j]) / regimeScale[g * d + j];
    }
    const w = fitWhitener(q, o.arOrder, o.clip, 0.05, buf);
    phi.set(w.phi, j * o.arOrder);
    innovScale[j] = w.scale;
    whiten(w, q, null, e);
    runBattery(tests, e, null, ones, Infinity, o.clip, hold, sEnd, max, null, null);
    for (let t = 0; t < T; t++) {
      limits[j * T + t] = testLimit(max[t], o.limitMargin, o.limitFloor);
    }
  }
  const frozen = o.frozenTest
    ? fitFrozen(values, rows, d, slot, R, hold, o.limitMargin, o.limitFloor)
    : undefined;
  let extrapolation: ExtrapolationFit | null = null;
  if ((o.extrapolationScale ?? 0) > 0) {
    const steadyUse = use.slice();
    if (hold) { for (let i = 0; i < rows; i++) if (hold[i]) steadyUse[i] = 0; }
    extrapolation = fitExtrapolation(
      z,
      rows,
      d,
      steadyUse,
      o.extrapolationRidge ?? ENVELOPE_RIDGE,
      o.extrapolationQuantile ?? ENVELOPE_QUANTILE,
    );
  }
  const model = {
    ...(frozen ? { frozen } : {}),
    ...(extrapolation ? { extrapolation } : {}),
    d,
    p,
    mean,
    std,
    intercept,
    coef,
    resScale,
    regimeLabels,
    regimeCenter,
    regimeScale,
    phi,
    innovScale,
    tests,
    limits,
    stats: total,
  };
  return { model, oof };
}

/**
 * Scores column-major `values` (rows × d, fitted sensor order) continuing `stream`
 * (null = fresh). With `oof` (the training rows' out-of-fold residuals from
 * `fitCondition`, for exactly these rows) the residuals are those, so training
 * scores are as honest as the limits: in-sample residuals are smaller than new
 * data's and would make the variance-drop test fire on the training rows.
 * Rows where `hold` is 1 restart every test (no evidence accumulates there);
 * `labels` (operating regime per row, −1 unknown; pass only for rows inside the
 * envelope) select each regime's residual centre and scale. `adapt` (incremental
 * updates, residual_adapt.ts) re-centres and re-scales each sensor's scaled
 * residual before the whitening: q' = (q − center) / scale.
 */
export function scoreCondition(
  m: ConditionModel,
  o: ConditionSettings,
  values: Float64Array,
  rows: number,
  timestamps: Float64Array,
  stream: ConditionStream | null,
  oof?: Float64Array,
  hold: Uint8Array | null = null,
  labels: Int32Array | null = null,
  adapt: { center: Float64Array; scale: Float64Array } | null = null,
): ConditionScores {
  const { d } = m, T = m.tests.length, order = o.arOrder;
  // The standardised values are written into `residual` and each becomes its
  // residual in place below (sensor j's residuals read only sensor j's values,
  // after every prediction is made); the predictions (standardised) go into
  // `expected`, which becomes the expected values in place.
  const expected = new Float64Array(rows * d), residual = new Float64Array(rows * d);
  const z = standardise(values, rows, m.mean, m.std, residual);
  const carry = stream?.ewma ?? null;
  // The regression inputs: with holdMissingInputs a missing reading is its last
  // one (the target keeps the NaN: no residual where the sensor itself is missing).
  const hold0 = o.holdMissingInputs ? fillForward(z, rows, d, stream?.held ?? null) : null;
  const zin = hold0 ? hold0.filled : z;
  const pred = expected;
  let ewma: EwmaCarry;
  if (oof && oof.length === rows * d) {
    // The residuals are the out-of-fold ones: only the EWMA levels are needed.
    for (let k = 0; k < rows * d; k++) pred[k] = z[k] - oof[k];
    ewma = ewmaLevels(zin, rows, d, timestamps, o.timeConstantsMs, carry);
  } else {
    ewma = predictStream(
      zin,
      rows,
      d,
      timestamps,
      o.timeConstantsMs,
      carry,
      m.intercept,
      m.coef,
      pred,
    );
  }
  const perSensor = new Float64Array(rows * d);
  const score = new Float64Array(rows);
  const sensor = new Int32Array(rows).fill(-1), test = new Int32Array(rows).fill(-1);
  const bestTest = new Int32Array(rows);
  const history = new Float64Array(d * order), s = new Float64Array(d * T);
  const white = new Float64Array(rows);
  const slot = regimeSlots(labels, m.regimeLabels ?? [], rows);
  const word = Int32Array.from(m.tests, (t) => TEST_WORDS.indexOf(t.kind));
  const frozenWord = TEST_WORDS.indexOf("frozen");
  const streamS = stream && stream.s.length === d * T ? stream.s : null;
  const s0 = new Float64Array(T), h = new Float64Array(T), sEnd = new Float64Array(T);
  const fz = m.frozen, R = (m.regimeLabels ?? []).length;
  const frozenS = new Float64Array(fz ? d : 0), last = new Float64Array(fz ? d : 0).fill(NaN);
  const carried = fz && stream?.frozen?.length === d && stream.last?.length === d;
  const ratio = new Float64Array(fz ? rows : 0);
  // With an extrapolation scale: per row and sensor the excess distance of the
  // other sensors beyond the training envelope, then (below) the factor
  // scale / √(scale² + (κ·excess)²) on the whitened residual the tests read.
  const kappa = m.extrapolation ? o.extrapolationScale ?? 0 : 0;
  const discount = new Float64Array(kappa > 0 ? rows * d : 0);
  if (kappa > 0) excessDistance(m.extrapolation!, z, rows, discount);
  for (let j = 0; j < d; j++) {
    const base = j * rows;
    const mj = m.mean[j], sj = m.std[j], scale = m.resScale[j];
    for (let i = 0; i < rows; i++) {
      const pr = pred[base + i];
      expected[base + i] = mj + sj * pr;
      const g = slot[i];
      const sc = g < 0 ? scale : m.regimeScale[g * d + j];
      let r = (g < 0 ? z[base + i] - pr : z[base + i] - pr - m.regimeCenter[g * d + j]) / sc;
      if (kappa > 0) {
        const x = kappa * discount[base + i];
        discount[base + i] = x > 0 ? sc / Math.sqrt(sc * sc + x * x) : 1;
      }
      if (adapt) r = (r - adapt.center[j]) / adapt.scale[j];
      residual[base + i] = r;
    }
    const q = residual.subarray(base, base + rows);
    const w = { phi: m.phi.subarray(j * order, (j + 1) * order), scale: m.innovScale[j] };
    const prevHistory = stream && stream.history.length === d * order
      ? stream.history.subarray(j * order, (j + 1) * order)
      : null;
    const wh = whiten(w, q, prevHistory, white);
    history.set(wh.history, j * order);
    // Discounted after the whitening: a discount varying from row to row would
    // otherwise read as a step in the whitened residual.
    if (kappa > 0) { for (let i = 0; i < rows; i++) white[i] *= discount[base + i]; }
    const own = perSensor.subarray(base, base + rows);
    for (let t = 0; t < T; t++) {
      s0[t] = streamS ? streamS[j * T + t] : 0;
      h[t] = m.limits[j * T + t];
    }
    runBattery(m.tests, white, s0, h, o.cap, o.clip, hold, sEnd, null, own, bestTest);
    s.set(sEnd, j * T);
    if (fz) {
      // The frozen-reading test reads the sensor's own readings (bestTest T = "frozen").
      const hf = fz.limit[j];
      const f = runFrozen(
        values.subarray(base, base + rows),
        fz,
        d,
        j,
        R,
        slot,
        carried ? stream!.frozen![j] : 0,
        carried ? stream!.last![j] : NaN,
        o.cap * hf,
        hold,
        ratio,
        hf,
      );
      frozenS[j] = f.s;
      last[j] = f.last;
      for (let i = 0; i < rows; i++) {
        if (ratio[i] > own[i]) {
          own[i] = ratio[i];
          bestTest[i] = T;
        }
      }
    }
    for (let i = 0; i < rows; i++) {
      if (own[i] > score[i]) {
        score[i] = own[i];
        if (own[i] >= NAME_FROM) {
          sensor[i] = j;
          test[i] = bestTest[i] === T ? frozenWord : word[bestTest[i]];
        } else sensor[i] = test[i] = -1;
      }
    }
  }
  return {
    score,
    perSensor,
    expected,
    residual,
    sensor,
    test,
    stream: {
      ewma,
      history,
      s,
      ...(fz ? { frozen: frozenS, last } : {}),
      ...(hold0 ? { held: hold0.last } : {}),
    },
  };
}
