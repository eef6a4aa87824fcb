/**
 * Matching rows of two time axes by timestamp, computed once per pair of axes and
 * then applied to every series on them (the report draws tens of sensors on one axis).
 */

/**
 * For each row of `t`, the row of `ty` with the same timestamp found by one
 * forward merge (both ascending: `ty` is walked while it is below `t[i]`), −1
 * where `ty` has none.
 */
export function mergeIndex(t: Float64Array, ty: Float64Array): Int32Array {
  const out = new Int32Array(t.length);
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < ty.length && ty[j] < t[i]) j++;
    out[i] = j < ty.length && ty[j] === t[i] ? j : -1;
  }
  return out;
}

/** Whether `index` maps every row to itself (the two axes are the same rows). */
export function isIdentity(index: Int32Array, otherLength: number): boolean {
  if (index.length !== otherLength) return false;
  for (let i = 0; i < index.length; i++) if (index[i] !== i) return false;
  return true;
}

/**
 * `y` gathered at `index` (mergeIndex), NaN where the index is −1; `y` itself
 * (not a copy: callers only read it) when `identity` (isIdentity(index, y.length)).
 */
export function gather(index: Int32Array, y: Float64Array, identity = false): Float64Array {
  if (identity && y.length === index.length) return y;
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const j = index[i];
    out[i] = j < 0 ? NaN : y[j];
  }
  return out;
}

/**
 * For each of `at` (row indices into `t`, −1 = none), the last row of `keys`
 * whose timestamp equals `t[at[k]]` (as a Map from timestamp to row would give),
 * −1 where there is none.
 */
export function lookupRows(t: Float64Array, at: readonly number[], keys: Float64Array): Int32Array {
  const out = new Int32Array(at.length).fill(-1);
  let ascending = true;
  for (let j = 1; j < keys.length && ascending; j++) ascending = keys[j] > keys[j - 1];
  if (!ascending || (keys.length === 1 && keys[0] !== keys[0])) {
    const map = new Map<number, number>();
    keys.forEach((x, j) => map.set(x, j));
    for (let k = 0; k < at.length; k++) {
      if (at[k] >= 0) out[k] = map.get(t[at[k]]) ?? -1;
    }
    return out;
  }
  // Strictly ascending keys: each timestamp is there at most once; binary search.
  for (let k = 0; k < at.length; k++) {
    if (at[k] < 0) continue;
    const v = t[at[k]];
    if (v !== v) continue; // NaN: no ascending key equals it
    let lo = 0, hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = keys[mid];
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else {
        out[k] = mid;
        break;
      }
    }
  }
  return out;
}
