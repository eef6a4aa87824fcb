/**
 * A column transform read on the fly from a column-major matrix: output column
 * c is input column `source[c]` (c itself without `source`; −1 = absent, every
 * value missing), a non-finite value becomes `fill[c]` (NaN without `fill`),
 * then (x − center[c]) · scale[c]. Kernels that accept one (column means,
 * cross-products, covariance, Ledoit–Wolf) read it block by block, so fitting
 * on standardised data never materialises a rows × d standardised copy.
 */
export interface ColumnTransform {
  source?: Int32Array;
  fill?: Float64Array;
  center?: Float64Array;
  scale?: Float64Array;
}

/** Output column `c` of `t`: its input column `j` (−1 absent), fill, centre and scale. */
function columnOf(t: ColumnTransform | undefined, c: number) {
  return {
    j: t?.source ? t.source[c] : c,
    fill: t?.fill ? t.fill[c] : NaN,
    center: t?.center ? t.center[c] : 0,
    scale: t?.scale ? t.scale[c] : 1,
  };
}

/** Writes rows [r0, r0 + nb) of transformed column `c` of `values` (rows × ·) to `out` at `offset`. */
export function readColumn(
  values: Float64Array,
  rows: number,
  t: ColumnTransform | undefined,
  c: number,
  r0: number,
  nb: number,
  out: Float64Array,
  offset: number,
): void {
  const { j, fill, center, scale } = columnOf(t, c);
  if (j < 0) {
    out.fill((fill - center) * scale, offset, offset + nb);
    return;
  }
  const base = j * rows + r0;
  for (let i = 0; i < nb; i++) {
    const x = values[base + i];
    out[offset + i] = ((x - x === 0 ? x : fill) - center) * scale;
  }
}

/** Like `readColumn`, for the rows `idx` (any order) instead of a row range. */
export function readColumnRows(
  values: Float64Array,
  rows: number,
  t: ColumnTransform | undefined,
  c: number,
  idx: ArrayLike<number>,
  out: Float64Array,
  offset: number,
): void {
  const { j, fill, center, scale } = columnOf(t, c);
  if (j < 0) {
    out.fill((fill - center) * scale, offset, offset + idx.length);
    return;
  }
  const base = j * rows;
  for (let k = 0; k < idx.length; k++) {
    const x = values[base + idx[k]];
    out[offset + k] = ((x - x === 0 ? x : fill) - center) * scale;
  }
}

/** `t` followed by subtracting `means` (given on the transformed scale): a new transform. */
export function centred(
  t: ColumnTransform | undefined,
  cols: number,
  means: Float64Array,
): ColumnTransform {
  const center = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const scale = t?.scale ? t.scale[c] : 1;
    center[c] = (t?.center ? t.center[c] : 0) + means[c] / scale;
  }
  return { ...t, center };
}
