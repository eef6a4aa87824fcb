/**
 * Scores binary predictions against SKAB truth, file by file, and pools the files
 * (SKAB README §1.2–1.4): outlier counts on the rows present in both series, and
 * the NAB changepoint score on events built from the prediction.
 */
import type { AlarmSeries, SkabLabels } from "./skab_files.ts";
import { changepointEvents } from "./changepoints.ts";
import {
  addConfusion,
  type Confusion,
  confusion,
  emptyConfusion,
  type OutlierMetrics,
  outlierMetrics,
} from "./outlier_metrics.ts";
import {
  type NabFileResult,
  type NabSummary,
  poolNab,
  scoreNabFile,
  SKAB_WINDOW_MS,
} from "./nab.ts";

/** How predictions become changepoint events and how wide the NAB windows are. */
export interface SkabScoreOptions {
  /** Rolling-max window (rows) applied to the prediction before differencing; 0 = none. */
  cpRollingMaxRows?: number;
  /** NAB window to the right of each changepoint, ms (default 60 s). */
  windowMs?: number;
}

/** The outcome for one file. */
export interface SkabFileScore {
  file: string;
  /** Rows scored: timestamps present in both truth and prediction. */
  rows: number;
  confusion: Confusion;
  nab: NabFileResult;
}

/** Pooled outcome over files: outlier metrics and NAB. */
export interface SkabSummary {
  files: number;
  rows: number;
  outlier: OutlierMetrics;
  nab: NabSummary;
}

/**
 * Scores one file. `truth` holds the test rows; `pred` the prediction on its own
 * timestamps (ascending). Changepoint events are built on the prediction's own
 * series, then both series are restricted to their common timestamps.
 */
export function scoreSkabFile(
  file: string,
  truth: SkabLabels,
  pred: AlarmSeries,
  opts: SkabScoreOptions = {},
): SkabFileScore {
  if (pred.timestamps.length !== pred.alarm.length) {
    throw new RangeError(
      `Cannot score "${file}": ${pred.timestamps.length} timestamps but ${pred.alarm.length} alarms`,
    );
  }
  const cpPred = changepointEvents(pred.alarm, opts.cpRollingMaxRows ?? 0);
  const y: number[] = [], p: number[] = [], trueCps: number[] = [], events: number[] = [];
  const tt = truth.timestamps, tp = pred.timestamps;
  let i = 0, j = 0;
  while (i < tt.length && j < tp.length) {
    if (tt[i] < tp[j]) i++;
    else if (tt[i] > tp[j]) j++;
    else {
      y.push(truth.anomaly[i]);
      p.push(pred.alarm[j]);
      if (truth.changepoint[i] === 1) trueCps.push(tt[i]);
      if (cpPred[j] === 1) events.push(tp[j]);
      i++;
      j++;
    }
  }
  return {
    file,
    rows: y.length,
    confusion: confusion(y, p),
    nab: scoreNabFile(trueCps, events, opts.windowMs ?? SKAB_WINDOW_MS),
  };
}

/** Pools file scores: summed confusion counts, summed NAB sums. */
export function summariseSkab(scores: readonly SkabFileScore[]): SkabSummary {
  const c = scores.reduce((acc, s) => addConfusion(acc, s.confusion), emptyConfusion());
  return {
    files: scores.length,
    rows: scores.reduce((a, s) => a + s.rows, 0),
    outlier: outlierMetrics(c),
    nab: poolNab(scores.map((s) => s.nab)),
  };
}
