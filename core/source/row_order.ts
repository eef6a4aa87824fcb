/**
 * Row order of a read table: stable sort by timestamp and duplicate removal (keep the last
 * occurrence in file order), with the counts the reader reports as notes.
 */

/** How rows must be reordered and thinned. */
export interface RowOrder {
  /** Source row per output row; null when the rows are already strictly ascending. */
  index: Int32Array | null;
  /** Rows whose timestamp is earlier than the previous row's, in file order. */
  backwardSteps: number;
  /** Rows dropped because a later row has the same timestamp. */
  duplicates: number;
  /** First duplicate found: source rows of the dropped and of the kept occurrence. */
  firstDuplicate: [number, number] | null;
}

/** Orders the first `n` timestamps: stable ascending sort, then keep the last of equal ones. */
export function orderRows(ts: Float64Array, n: number): RowOrder {
  let backwardSteps = 0;
  let ties = 0;
  for (let i = 1; i < n; i++) {
    if (ts[i] < ts[i - 1]) backwardSteps++;
    else if (ts[i] === ts[i - 1]) ties++;
  }
  if (backwardSteps === 0 && ties === 0) {
    return { index: null, backwardSteps, duplicates: 0, firstDuplicate: null };
  }
  let sorted: Int32Array;
  if (backwardSteps === 0) {
    sorted = new Int32Array(n);
    for (let i = 0; i < n; i++) sorted[i] = i;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => ts[a] - ts[b] || a - b);
    sorted = Int32Array.from(idx);
  }
  const keep = new Int32Array(n);
  let m = 0;
  let duplicates = 0;
  let firstDuplicate: [number, number] | null = null;
  for (let k = 0; k < n; k++) {
    const i = sorted[k];
    if (k + 1 < n && ts[sorted[k + 1]] === ts[i]) {
      duplicates++;
      if (firstDuplicate === null) {
        let last = k + 1;
        while (last + 1 < n && ts[sorted[last + 1]] === ts[i]) last++;
        firstDuplicate = [i, sorted[last]];
      }
      continue;
    }
    keep[m++] = i;
  }
  return { index: keep.subarray(0, m), backwardSteps, duplicates, firstDuplicate };
}
