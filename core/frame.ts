/**
 * Frame: the one data container of the data path.
 *
 * Values are column-major in a single Float64Array: column `j` occupies
 * `values[j * rows, (j + 1) * rows)`. Column-major keeps every per-sensor kernel
 * (rolling windows, AR(1), medians) on contiguous memory and lets a column be
 * dropped or selected without touching the others; row-wise maths (projections,
 * quadratic forms) accumulate over columns with contiguous inner loops.
 * See bench/frame_layout.ts for the measurement behind the choice.
 *
 * Timestamps are epoch milliseconds of the naive local wall-clock time read as
 * if it were UTC, so formatting them back with UTC getters reproduces the input.
 *
 * A frame is never written to once made: stages and plugins read it and make
 * new frames. The engine relies on this to hand one frame to several nodes
 * without copying, and built-in plugins to cache work per frame.
 */
export interface Frame {
  /** Number of rows. */
  readonly rows: number;
  /** Column names, one per column. */
  readonly columns: readonly string[];
  /** Raw sensor each column derives from; equals `columns` for a raw sensor frame. */
  readonly sensors: readonly string[];
  /** Column-major values, length `rows * columns.length`; NaN marks a missing value. */
  readonly values: Float64Array;
  /** Epoch-ms timestamps (naive wall-clock as UTC), ascending, length `rows`. */
  readonly timestamps: Float64Array;
}

/** Builds a frame, checking that the buffer sizes agree with rows and columns. */
export function makeFrame(init: {
  columns: readonly string[];
  values: Float64Array;
  timestamps: Float64Array;
  sensors?: readonly string[];
}): Frame {
  const rows = init.timestamps.length;
  const cols = init.columns.length;
  if (init.values.length !== rows * cols) {
    throw new RangeError(
      `Cannot make frame: values has ${init.values.length} numbers, expected ${rows} rows × ${cols} columns`,
    );
  }
  const sensors = init.sensors ?? init.columns;
  if (sensors.length !== cols) {
    throw new RangeError(
      `Cannot make frame: ${sensors.length} sensor names for ${cols} columns`,
    );
  }
  return { rows, columns: init.columns, sensors, values: init.values, timestamps: init.timestamps };
}

/** An empty frame with the given columns. */
export function emptyFrame(columns: readonly string[] = [], sensors?: readonly string[]): Frame {
  return makeFrame({
    columns,
    sensors,
    values: new Float64Array(0),
    timestamps: new Float64Array(0),
  });
}

/** A zero-copy view of column `j`. */
export function column(frame: Frame, j: number): Float64Array {
  return frame.values.subarray(j * frame.rows, (j + 1) * frame.rows);
}

/** Index of a column by name, or -1. */
export function columnIndex(frame: Frame, name: string): number {
  return frame.columns.indexOf(name);
}

/** Rows `[start, end)` as a new frame (copies). */
export function sliceRows(frame: Frame, start: number, end: number): Frame {
  const s = Math.max(0, Math.min(start, frame.rows));
  const e = Math.max(s, Math.min(end, frame.rows));
  const n = e - s;
  const cols = frame.columns.length;
  const values = new Float64Array(n * cols);
  for (let j = 0; j < cols; j++) {
    values.set(frame.values.subarray(j * frame.rows + s, j * frame.rows + e), j * n);
  }
  return makeFrame({
    columns: frame.columns,
    sensors: frame.sensors,
    values,
    timestamps: frame.timestamps.slice(s, e),
  });
}

/** The columns at `indices`, in that order, as a new frame (copies). */
export function selectColumns(frame: Frame, indices: readonly number[]): Frame {
  const n = frame.rows;
  const values = new Float64Array(n * indices.length);
  indices.forEach((j, k) => values.set(column(frame, j), k * n));
  return makeFrame({
    columns: indices.map((j) => frame.columns[j]),
    sensors: indices.map((j) => frame.sensors[j]),
    values,
    timestamps: frame.timestamps.slice(),
  });
}

/** The named columns, in that order; throws RangeError naming a missing one. */
export function selectByName(frame: Frame, names: readonly string[]): Frame {
  const indices = names.map((name) => {
    const j = frame.columns.indexOf(name);
    if (j < 0) throw new RangeError(`Cannot select column: "${name}" is not in the frame`);
    return j;
  });
  return selectColumns(frame, indices);
}

/** Stacks `b` under `a`; both must have the same columns in the same order. */
export function concatRows(a: Frame, b: Frame): Frame {
  if (a.columns.length !== b.columns.length || a.columns.some((c, j) => c !== b.columns[j])) {
    throw new RangeError("Cannot concatenate frames: their columns differ");
  }
  const n = a.rows + b.rows;
  const cols = a.columns.length;
  const values = new Float64Array(n * cols);
  for (let j = 0; j < cols; j++) {
    values.set(column(a, j), j * n);
    values.set(column(b, j), j * n + a.rows);
  }
  const timestamps = new Float64Array(n);
  timestamps.set(a.timestamps, 0);
  timestamps.set(b.timestamps, a.rows);
  return makeFrame({ columns: a.columns, sensors: a.sensors, values, timestamps });
}

/** Places side by side frames that share timestamps (same rows). */
export function concatColumns(frames: readonly Frame[]): Frame {
  if (frames.length === 0) return emptyFrame();
  const rows = frames[0].rows;
  for (const f of frames) {
    if (f.rows !== rows) {
      throw new RangeError(`Cannot join frames side by side: ${f.rows} rows vs ${rows}`);
    }
  }
  const total = frames.reduce((s, f) => s + f.columns.length, 0);
  const values = new Float64Array(rows * total);
  let offset = 0;
  for (const f of frames) {
    values.set(f.values.subarray(0, rows * f.columns.length), offset);
    offset += rows * f.columns.length;
  }
  return makeFrame({
    columns: frames.flatMap((f) => f.columns),
    sensors: frames.flatMap((f) => f.sensors),
    values,
    timestamps: frames[0].timestamps.slice(),
  });
}

/**
 * The buffers of `views` that can move in a `postMessage` transfer list: those
 * owned whole by exactly one of the views (a buffer shared by two views, or only
 * partly covered, is left out and gets copied instead).
 */
export function transferableBuffers(
  views: readonly (ArrayBufferView | undefined)[],
): ArrayBuffer[] {
  const count = new Map<ArrayBuffer, number>();
  for (const v of views) {
    if (v && v.buffer instanceof ArrayBuffer) count.set(v.buffer, (count.get(v.buffer) ?? 0) + 1);
  }
  const out: ArrayBuffer[] = [];
  for (const v of views) {
    if (!v || !(v.buffer instanceof ArrayBuffer)) continue;
    if (count.get(v.buffer) === 1 && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
      out.push(v.buffer);
    }
  }
  return out;
}

/** The buffers to pass in a `postMessage` transfer list so a frame moves without copying. */
export function frameTransferables(frame: Frame): ArrayBuffer[] {
  return transferableBuffers([frame.values, frame.timestamps]);
}

/** Formats an epoch-ms naive timestamp as `YYYY-MM-DDTHH:MM:SS` (milliseconds added when non-zero). */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${
    pad(d.getUTCHours())
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds();
  return frac === 0 ? base : `${base}.${pad(frac, 3)}`;
}

/** The rows at `indices` (ascending), as a new frame (copies). */
export function selectRows(frame: Frame, indices: ArrayLike<number>): Frame {
  const n = indices.length;
  const cols = frame.columns.length;
  const values = new Float64Array(n * cols);
  for (let j = 0; j < cols; j++) {
    const base = j * frame.rows;
    for (let k = 0; k < n; k++) values[j * n + k] = frame.values[base + indices[k]];
  }
  const timestamps = new Float64Array(n);
  for (let k = 0; k < n; k++) timestamps[k] = frame.timestamps[indices[k]];
  return makeFrame({ columns: frame.columns, sensors: frame.sensors, values, timestamps });
}
