/**
 * Resampling onto a regular time grid (the csv source's `resample_s`, ACM V8's
 * `data.sampling_secs`): rows are grouped into buckets [k·S, (k+1)·S) of epoch
 * time, and each bucket becomes one row stamped at its start, holding per column
 * the mean (or the last) of the bucket's finite values, NaN when it has none. A
 * bucket with no rows gives no row: a gap stays a gap, nothing is invented
 * between readings. The grid is anchored at the epoch, not at the first row, so
 * every chunk of a series lands on the same grid (with S dividing a day, bucket
 * edges fall on midnight, where `acm split` cuts chunks).
 */
import { type Frame, makeFrame } from "../frame.ts";
import type { DataNote } from "../plugin.ts";

/** How a bucket's readings become one value. */
export type ResampleMethod = "mean" | "last";

/** A frame resampled to the grid, the file line of each new row's first reading, and what changed. */
export interface Resampled {
  frame: Frame;
  lines: Int32Array;
  /** Null when every bucket held one row already on the grid (nothing changed). */
  note: DataNote | null;
}

/** Resamples sorted `frame` to buckets of `stepMs` (> 0); `lines[i]` is row i's file line. */
export function resampleFrame(
  frame: Frame,
  lines: Int32Array,
  stepMs: number,
  method: ResampleMethod,
): Resampled {
  const n = frame.rows, d = frame.columns.length, t = frame.timestamps;
  // Bucket starts: row i opens a bucket when its bucket differs from row i − 1's.
  const starts: number[] = [];
  const grid: number[] = [];
  let moved = false;
  for (let i = 0; i < n; i++) {
    const g = Math.floor(t[i] / stepMs) * stepMs;
    if (i === 0 || g !== grid[grid.length - 1]) {
      starts.push(i);
      grid.push(g);
    }
    if (g !== t[i]) moved = true;
  }
  const m = starts.length;
  if (m === n && !moved) return { frame, lines, note: null };
  const values = new Float64Array(m * d);
  for (let j = 0; j < d; j++) {
    const col = frame.values.subarray(j * n, (j + 1) * n);
    for (let b = 0; b < m; b++) {
      const end = b + 1 < m ? starts[b + 1] : n;
      let sum = 0, count = 0, last = NaN;
      for (let i = starts[b]; i < end; i++) {
        const v = col[i];
        if (v - v !== 0) continue; // NaN or ±Infinity: not a reading
        sum += v;
        count++;
        last = v;
      }
      values[j * m + b] = count === 0 ? NaN : method === "mean" ? sum / count : last;
    }
  }
  const step = stepMs % 1000 === 0 ? `${stepMs / 1000} s` : `${stepMs} ms`;
  const what = method === "mean" ? "the mean" : "the last";
  return {
    frame: makeFrame({
      columns: frame.columns,
      sensors: frame.sensors,
      values,
      timestamps: Float64Array.from(grid),
    }),
    lines: Int32Array.from(starts, (i) => lines[i]),
    note: {
      kind: "resampled",
      message: `resampled ${n} rows to ${m} on a ${step} grid (resample_s): each row is ${what} ` +
        `of the readings in [its time, its time + ${step}), stamped at the bucket's start`,
      count: n - m,
    },
  };
}
