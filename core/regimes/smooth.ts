/**
 * Minimum-dwell smoothing of regime labels. A run of one label shorter than
 * `minDwellRows` rows, or spanning less than `minDwellS` seconds (from its first
 * row to the next run's first row), is absorbed by its longer neighbouring run
 * (ties: the earlier one); runs are absorbed shortest first, and a neighbour pair
 * of equal labels fuses. Categorical labels are never median-filtered (a median of
 * ids can invent a label that is neither neighbour — the ACM V8 flaw).
 *
 * Streaming: the run open at the end of a frame is never absorbed (its length is
 * not known yet); it is returned as the carry and acts as a fixed left neighbour
 * of the next frame, whose first rows continue it when they have its label.
 * Chunked smoothing therefore matches whole-series smoothing except next to a
 * chunk's end: a short last run is kept, and a short run just before the open run
 * is weighed against the part of it seen so far. Rows labelled −1 (unassigned)
 * keep −1 and are skipped.
 */

/** The run open at the end of the previous frame: plain data. */
export type RegimeCarry = {
  /** Its (smoothed) label; −1 when nothing was seen yet. */
  label: number;
  /** Rows it spans so far. */
  rows: number;
  /** Timestamp (epoch ms) of its first row. */
  startTs: number;
};

/** Smoothing thresholds. */
export interface DwellOptions {
  minDwellRows: number;
  minDwellS: number;
}

interface Run {
  id: number;
  label: number;
  rows: number;
  startTs: number;
  /** Span [start, end) in positions of assigned rows; the carried run starts before 0. */
  start: number;
  end: number;
  prev: number;
  next: number;
  fixed: boolean;
  alive: boolean;
  version: number;
}

class MinHeap {
  private items: [number, number, number][] = []; // key, run id, version
  push(item: [number, number, number]): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p][0] <= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): [number, number, number] | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Applies minimum-dwell smoothing to `labels` (a new array is returned) and the new carry. */
export function smoothLabels(
  labels: Int32Array,
  timestamps: Float64Array,
  options: DwellOptions,
  carry: RegimeCarry | null = null,
): { labels: Int32Array; carry: RegimeCarry } {
  const out = labels.slice();
  const pos: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) pos.push(i);
  const fallback = carry ?? { label: -1, rows: 0, startTs: NaN };
  if (pos.length === 0) return { labels: out, carry: { ...fallback } };
  const runs: Run[] = [];
  const addRun = (label: number, rows: number, startTs: number, start: number, fixed: boolean) => {
    const id = runs.length;
    runs.push({
      id,
      label,
      rows,
      startTs,
      start,
      end: start,
      prev: id - 1,
      next: -1,
      fixed,
      alive: true,
      version: 0,
    });
    if (id > 0) runs[id - 1].next = id;
  };
  if (carry && carry.label >= 0) addRun(carry.label, carry.rows, carry.startTs, 0, true);
  for (let p = 0; p < pos.length; p++) {
    const lab = labels[pos[p]];
    const last = runs[runs.length - 1];
    if (last && last.label === lab) {
      last.rows++;
      last.end = p + 1;
    } else {
      addRun(lab, 1, timestamps[pos[p]], p, false);
      runs[runs.length - 1].end = p + 1;
    }
  }
  const minRows = options.minDwellRows, minMs = options.minDwellS * 1000;
  const nextStart = (r: Run) => (r.next >= 0 ? runs[r.next].startTs : NaN);
  const isShort = (r: Run) => r.rows < minRows || (minMs > 0 && nextStart(r) - r.startTs < minMs);
  const candidate = (id: number) => {
    const r = runs[id];
    return r.alive && !r.fixed && r.next >= 0 && isShort(r);
  };
  const heap = new MinHeap();
  const key = (id: number) => runs[id].rows * 1e8 + runs[id].start;
  for (let id = 0; id < runs.length; id++) if (candidate(id)) heap.push([key(id), id, 0]);
  // Appends run b (a's right neighbour) to run a, giving the union `label`.
  const merge = (a: Run, b: Run, label: number) => {
    a.label = label;
    a.rows += b.rows;
    a.end = b.end;
    a.fixed = a.fixed || b.fixed;
    a.next = b.next;
    if (b.next >= 0) runs[b.next].prev = a.id;
    b.alive = false;
    a.version++;
  };
  for (let item = heap.pop(); item; item = heap.pop()) {
    const [, id, version] = item;
    const r = runs[id];
    if (!r.alive || r.version !== version || !candidate(id)) continue;
    const left = r.prev >= 0 ? runs[r.prev] : null;
    const right = runs[r.next];
    let survivor: Run;
    if (left !== null && left.rows >= right.rows) {
      merge(left, r, left.label);
      if (left.next >= 0 && runs[left.next].label === left.label) {
        merge(left, runs[left.next], left.label);
      }
      survivor = left;
    } else {
      // The right run takes over r's span (r keeps its start, takes the right label).
      merge(r, right, right.label);
      survivor = r;
      if (left !== null && left.label === r.label) {
        merge(left, r, left.label);
        survivor = left;
      }
    }
    for (const s of [survivor.id, survivor.prev, survivor.next]) {
      if (s >= 0 && candidate(s)) heap.push([key(s), s, runs[s].version]);
    }
  }
  let lastRun: Run | null = null;
  for (const r of runs) {
    if (!r.alive) continue;
    for (let p = Math.max(0, r.start); p < r.end; p++) out[pos[p]] = r.label;
    lastRun = r;
  }
  const f = lastRun!;
  return { labels: out, carry: { label: f.label, rows: f.rows, startTs: f.startTs } };
}
