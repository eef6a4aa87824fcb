/**
 * Row-major working copies for row-wise kernels (k-means, GMM, isolation forest),
 * and column medians for imputation. Private to core/numeric.
 */

/** k-th smallest of a[0..n) by Hoare quickselect with a median-of-three pivot (reorders `a`). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const x = a[lo], y = a[(lo + hi) >>> 1], z = a[hi];
    const p = (x <= y) === (y <= z) ? y : (y <= x) === (x <= z) ? x : z;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
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
    else return a[k];
  }
  return a[k];
}

/**
 * Median of each column of a column-major matrix, interpolated like numpy's default
 * (non-finite values ignored; a column without finite values gives 0). O(rows) per column.
 */
export function columnMedians(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  const buf = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    let n = 0;
    const off = j * rows;
    for (let i = 0; i < rows; i++) {
      const v = values[off + i];
      if (v - v === 0) buf[n++] = v;
    }
    if (n === 0) continue;
    const h = (n - 1) / 2, lo = Math.floor(h);
    const a = select(buf, n, lo);
    if (h === lo) {
      out[j] = a;
    } else {
      let b = Infinity;
      for (let i = lo + 1; i < n; i++) if (buf[i] < b) b = buf[i];
      out[j] = a + (b - a) / 2;
    }
  }
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
