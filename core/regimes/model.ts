/** The fitted regime model (plain data + typed arrays) and the row transform shared by fit and assign. */
import type { Frame } from "../frame.ts";

const ROW_BLOCK = 256;

/** Operating-regime model: saved as the object itself. */
export type RegimeModel = {
  /** Raw sensors clustered on, in centre-column order. */
  sensors: string[];
  /** Number of regimes (1 when no clustering beat `min_silhouette`). */
  k: number;
  /** Every k tried and its silhouette (NaN when undefined); a split candidate repeats its k. */
  kTried: Int32Array;
  silhouettes: Float64Array;
  /** Silhouette of the chosen k (NaN for a single regime). */
  silhouette: number;
  /** Row-major centres on the standardised scale, `k × sensors.length`. */
  centres: Float64Array;
  /** Training mean, standard deviation (1 for constant sensors) and median per sensor. */
  mean: Float64Array;
  scale: Float64Array;
  medians: Float64Array;
  /** Per regime, the 99th percentile of training distances to its centre (standardised units). */
  p99: Float64Array;
  /** Training rows per regime (before smoothing). */
  counts: Int32Array;
  /** Training rows with at least one finite sensor value. */
  trainRows: number;
  /**
   * Per regime and sensor (`k × sensors.length`), the p99 of |value − centre| on its
   * training rows (standardised units); absent in models fitted before it existed.
   */
  spread?: Float64Array;
  /**
   * With `operating_sensor_share`: every sensor first clustered on, and the share of
   * its training variance those first regimes explain (η², same order); absent otherwise.
   */
  candidates?: string[];
  regimeShare?: Float64Array;
};

/**
 * Standardised, median-imputed values of `sensors` for rows [from, to) as
 * row-major `(to − from) × d`, and a mask of those rows with at least one finite
 * value, written into `out` when given (a reused working block). Sensors missing
 * from the frame count as missing values (imputed).
 */
export function standardisedRows(
  frame: Frame,
  sensors: readonly string[],
  mean: Float64Array,
  scale: Float64Array,
  medians: Float64Array,
  from = 0,
  to = frame.rows,
  out?: { x: Float64Array; valid: Uint8Array },
): { x: Float64Array; valid: Uint8Array } {
  const d = sensors.length, n = frame.rows, m = to - from;
  const values = frame.values;
  const x = out ? out.x.subarray(0, m * d) : new Float64Array(m * d);
  const seen = out ? out.valid.subarray(0, m).fill(0) : new Uint8Array(m);
  const src = sensors.map((s) => frame.columns.indexOf(s));
  const fill = Float64Array.from(sensors, (_, a) => (medians[a] - mean[a]) / scale[a]);
  // Blocks of rows so the strided row-major writes stay in cache.
  for (let i0 = 0; i0 < m; i0 += ROW_BLOCK) {
    const i1 = Math.min(m, i0 + ROW_BLOCK);
    for (let a = 0; a < d; a++) {
      const j = src[a], f = fill[a];
      if (j < 0) {
        for (let i = i0; i < i1; i++) x[i * d + a] = f;
        continue;
      }
      const mu = mean[a], sc = scale[a], base = j * n + from;
      for (let i = i0; i < i1; i++) {
        const v = values[base + i];
        if (v - v === 0) {
          x[i * d + a] = (v - mu) / sc;
          seen[i] = 1;
        } else {
          x[i * d + a] = f;
        }
      }
    }
  }
  return { x, valid: seen };
}

/** Index of the nearest centre to row `i` of `x` and its Euclidean distance. */
export function nearestCentre(
  x: Float64Array,
  i: number,
  centres: Float64Array,
  k: number,
  d: number,
): [number, number] {
  let best = 0, bestD = Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let a = 0; a < d; a++) {
      const t = x[i * d + a] - centres[c * d + a];
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  return [best, Math.sqrt(bestD)];
}

/** nearestIndex()'s distance (module scratch: no array per row on the hot path). */
export let nearestDistance = 0;

/**
 * Index of the nearest centre to row `i` of `x`, as nearestCentre() gives; its
 * Euclidean distance is left in `nearestDistance`.
 */
export function nearestIndex(
  x: Float64Array,
  i: number,
  centres: Float64Array,
  k: number,
  d: number,
): number {
  let best = 0, bestD = Infinity;
  const a0 = i * d;
  for (let c = 0; c < k; c++) {
    let s = 0;
    const c0 = c * d;
    for (let a = 0; a < d; a++) {
      const t = x[a0 + a] - centres[c0 + a];
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  nearestDistance = Math.sqrt(bestD);
  return best;
}
