/**
 * Row-major working copies for row-wise kernels (k-means, GMM, isolation forest),
 * and column medians for imputation. Private to core/numeric.
 */
import { columnMedians as mediansOrNaN } from "./standardize.ts";

/**
 * Median of each column of a column-major matrix, interpolated like numpy's default
 * (non-finite values ignored; a column without finite values gives 0). O(rows) per column.
 */
export function columnMedians(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = mediansOrNaN(values, rows, cols);
  for (let j = 0; j < cols; j++) if (Number.isNaN(out[j])) out[j] = 0;
  return out;
}

/**
 * Copies column-major `values` (rows × cols) into a row-major array, replacing each
 * non-finite value with `fill[j]` of its column (when `fill` is given).
 */
export function toRowMajor(
  values: Float64Array,
  rows: number,
  cols: number,
  fill?: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = values[j * rows + i];
      out[o + j] = fill === undefined || v - v === 0 ? v : fill[j];
    }
  }
  return out;
}
