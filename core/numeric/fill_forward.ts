/**
 * Last observation carried forward ("last value hold", what plant historians
 * serve for a missing sample; Little & Rubin, Statistical Analysis with Missing
 * Data, 3rd ed. 2019, §4.2 on its bias over long gaps): each missing cell of a
 * column takes the column's last finite value, continuing from `carry` (the last
 * finite value per column before these rows, NaN = none). A column with no
 * finite value yet stays missing.
 */

/**
 * Forward-filled copy of column-major `values` (rows × d) and the last finite
 * value per column after these rows. When nothing needs filling, `filled` is
 * `values` itself (no copy).
 */
export function fillForward(
  values: Float64Array,
  rows: number,
  d: number,
  carry: ArrayLike<number> | null,
): { filled: Float64Array; last: Float64Array } {
  const last = new Float64Array(d).fill(NaN);
  if (carry && carry.length === d) { for (let j = 0; j < d; j++) last[j] = carry[j]; }
  let filled = values;
  for (let j = 0; j < d; j++) {
    const base = j * rows;
    let held = last[j];
    for (let i = 0; i < rows; i++) {
      const v = values[base + i];
      if (v - v === 0) held = v;
      else if (held - held === 0) {
        if (filled === values) filled = values.slice();
        filled[base + i] = held;
      }
    }
    last[j] = held;
  }
  return { filled, last };
}
