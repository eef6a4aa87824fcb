/**
 * Training-fitted input preparation shared by the multivariate heads: per
 * column the training median (used to impute NaN / ±Infinity), mean and
 * population std; columns without spread (see `constantColumns`) or without a
 * finite training value are dropped. `standardize` maps any frame's values to
 * the kept columns, imputed and scaled — every output value is finite.
 */
import type { ColumnTransform } from "./column_transform.ts";
import { constantColumns, scalerStats, scalerStd } from "./scaler.ts";

/** Fitted preparation: medians, means, stds per input column; indices of the kept columns. */
export interface Standardizer {
  medians: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** Input column indices that survive, ascending. */
  kept: Int32Array;
}

/** A standardizer restored from saved plain data that holds its four arrays by name. */
export function standardizerFrom(data: Record<string, unknown>): Standardizer {
  return {
    medians: data.medians as Float64Array,
    mean: data.mean as Float64Array,
    std: data.std as Float64Array,
    kept: data.kept as Int32Array,
  };
}

/**
 * Per-column medians of the finite values (NaN for a column with none), by
 * Hoare's quickselect (expected O(n)) instead of a full sort; an even count
 * gives a + (b − a)/2 of the two middle values, exactly as stats.median.
 */
export function columnMedians(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  const buf = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    buf.set(values.subarray(j * rows, (j + 1) * rows));
    out[j] = selectMedian(buf.subarray(0, compactFinite(buf)));
  }
  return out;
}

/** Moves the finite values of `a` to its front (order kept) and returns how many there are. */
export function compactFinite(a: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x - x === 0) a[n++] = x;
  }
  return n;
}

/**
 * Median of `a` (all finite; NaN when empty) by quickselect, reordering `a` in
 * place — no allocation, for callers that median many columns through one buffer.
 */
export function selectMedian(a: Float64Array): number {
  return selectQuantile(a, 0.5);
}

/**
 * Quantile `q` of `a` (all finite; NaN when empty) with numpy's default linear
 * interpolation (Hyndman & Fan type 7, as stats.quantileSorted), by quickselect
 * in O(n) instead of a sort; reorders `a` in place. The even-count median is
 * a + (b − a)/2 of the two middle values.
 */
export function selectQuantile(a: Float64Array, q: number): number {
  const n = a.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const k = Math.floor(h);
  const lo = select(a, k);
  if (h === k) return lo;
  let hi = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i] < hi) hi = a[i];
  return lo + (h - k) * (hi - lo);
}

/** k-th smallest (0-based) of `a`, reordering `a` so that a[0..k] ≤ a[k] ≤ a[k+1..]. */
export function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** Fits medians (imputation), then mean and population std of the imputed columns. */
export function fitStandardizer(values: Float64Array, rows: number, cols: number): Standardizer {
  const medians = columnMedians(values, rows, cols);
  const stats = scalerStats(values, rows, cols, medians);
  const std = scalerStd(stats, 0);
  const flat = constantColumns(stats.mean, std);
  const kept: number[] = [];
  for (let j = 0; j < cols; j++) if (!flat[j] && Number.isFinite(medians[j])) kept.push(j);
  return { medians, mean: stats.mean, std, kept: Int32Array.from(kept) };
}

/**
 * The standardisation as a ColumnTransform (kept columns; `columnMap` as in
 * `standardize`), for kernels that read it on the fly instead of a copy.
 */
export function standardizeTransform(s: Standardizer, columnMap?: Int32Array): ColumnTransform {
  const kept = s.kept;
  return {
    source: columnMap ? Int32Array.from(kept, (j) => columnMap[j]) : kept,
    fill: Float64Array.from(kept, (j) => s.medians[j]),
    center: Float64Array.from(kept, (j) => s.mean[j]),
    scale: Float64Array.from(kept, (j) => 1 / s.std[j]),
  };
}

/**
 * Standardised kept columns (column-major rows × kept.length): non-finite →
 * training median, then (x − mean)/std. `columnMap[j]` gives the input column
 * of fitted column j in `values` (−1 = absent: imputed with the median → 0).
 */
export function standardize(
  s: Standardizer,
  values: Float64Array,
  rows: number,
  columnMap?: Int32Array,
): Float64Array {
  const d = s.kept.length;
  const out = new Float64Array(rows * d);
  for (let c = 0; c < d; c++) {
    const j = s.kept[c];
    const src = columnMap ? columnMap[j] : j;
    const med = s.medians[j], mu = s.mean[j], inv = 1 / s.std[j];
    const dst = c * rows;
    if (src < 0) {
      out.fill((med - mu) * inv, dst, dst + rows);
      continue;
    }
    const base = src * rows;
    for (let i = 0; i < rows; i++) {
      const x = values[base + i];
      out[dst + i] = ((x - x === 0 ? x : med) - mu) * inv;
    }
  }
  return out;
}

/** For each fitted column name, its index in `current` (−1 when absent). */
export function columnMap(fitted: readonly string[], current: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  current.forEach((name, j) => {
    if (!index.has(name)) index.set(name, j);
  });
  return Int32Array.from(fitted, (name) => index.get(name) ?? -1);
}

/**
 * Spreads per-kept-column values (column-major rows × kept.length) onto the
 * current frame's columns (rows × currentCols); absent and dropped columns get 0.
 * When the layouts already agree, `perKept` itself is returned (not a copy).
 */
export function scatterColumns(
  perKept: Float64Array,
  rows: number,
  kept: Int32Array,
  map: Int32Array,
  currentCols: number,
): Float64Array {
  let identity = kept.length === currentCols;
  for (let c = 0; identity && c < kept.length; c++) identity = map[kept[c]] === c;
  if (identity) return perKept; // same layout already: no copy
  const out = new Float64Array(rows * currentCols);
  for (let c = 0; c < kept.length; c++) {
    const dst = map[kept[c]];
    if (dst >= 0) out.set(perKept.subarray(c * rows, (c + 1) * rows), dst * rows);
  }
  return out;
}
