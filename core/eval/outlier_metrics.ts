/**
 * Outlier (per-row binary) metrics of the SKAB benchmark: confusion counts pooled
 * over files (micro-average), F1, false-alarm rate and missed-alarm rate
 * (Katser & Kozitsin 2020, SKAB `core/metrics.py`; README §1.4 A).
 */

/** Confusion counts of a binary prediction against binary truth. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** F1, FAR % and MAR % of pooled counts. */
export interface OutlierMetrics extends Confusion {
  /** `TP / (TP + (FP + FN) / 2)`; 0 when there is neither an anomaly nor an alarm. */
  f1: number;
  /** `100·FP / (FP + TN)`; 0 when there is no normal row. */
  farPct: number;
  /** `100·FN / (FN + TP)`; 0 when there is no anomalous row. */
  marPct: number;
}

/** An all-zero count. */
export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

/**
 * Counts TP/FP/FN/TN over rows where `truth` and `pred` are given side by side
 * (same length). Any value other than 1 (0, NaN) counts as "not 1".
 */
export function confusion(truth: ArrayLike<number>, pred: ArrayLike<number>): Confusion {
  if (truth.length !== pred.length) {
    throw new RangeError(
      `Cannot count confusion: truth has ${truth.length} rows, prediction ${pred.length}`,
    );
  }
  const c = emptyConfusion();
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i] === 1, p = pred[i] === 1;
    if (y && p) c.tp++;
    else if (p) c.fp++;
    else if (y) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Sum of counts (pooling over files). */
export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

/** F1, FAR % and MAR % of counts, unrounded (degenerate denominators give 0, see `OutlierMetrics`). */
export function outlierMetrics(c: Confusion): OutlierMetrics {
  const f1Den = c.tp + (c.fp + c.fn) / 2;
  return {
    ...c,
    f1: f1Den === 0 ? 0 : c.tp / f1Den,
    farPct: c.fp + c.tn === 0 ? 0 : (100 * c.fp) / (c.fp + c.tn),
    marPct: c.fn + c.tp === 0 ? 0 : (100 * c.fn) / (c.fn + c.tp),
  };
}

/** Rounds to 2 decimals on the exact binary value, as the leaderboard does; NaN stays NaN. */
export function round2(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Number(x.toFixed(2));
  return r === 0 ? 0 : r;
}
