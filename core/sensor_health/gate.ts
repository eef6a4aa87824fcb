/**
 * Sensor health gating: finds sensors that are mostly missing, flatlined/stuck,
 * nearly constant or out of their physical range in the training data, reports
 * each with a reason, and excludes them from fitting. Physical ranges also mask
 * out-of-range values (→ NaN) at scoring time.
 */
import { column, type Frame, makeFrame } from "../frame.ts";
import type { DataNote, SensorHealth } from "../plugin.ts";
import type { SensorHealthOptions } from "../pipeline/stage_schemas.ts";

/** Verdict of the gate on a training frame. */
export interface GateResult {
  health: SensorHealth[];
  /** Healthy sensors, in frame order. */
  healthy: string[];
}

/** Share of rows covered by the longest run of one repeated finite value. */
export function longestRunFraction(xs: Float64Array): number {
  if (xs.length === 0) return 0;
  let best = 0, run = 0, prev = NaN;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isFinite(x) && x === prev) run++;
    else run = Number.isFinite(x) ? 1 : 0;
    prev = x;
    if (run > best) best = run;
  }
  return best / xs.length;
}

function distinctAtLeast(xs: Float64Array, k: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < xs.length && seen.size < k; i++) if (Number.isFinite(xs[i])) seen.add(xs[i]);
  return seen.size >= k;
}

function outOfRange(x: number, range: { min?: number; max?: number } | undefined): boolean {
  return range !== undefined &&
    ((range.min !== undefined && x < range.min) || (range.max !== undefined && x > range.max));
}

const pct = (f: number) => `${(100 * f).toFixed(1)}%`;

/** Judges every sensor of a training frame. */
export function gateSensors(frame: Frame, options: SensorHealthOptions): GateResult {
  const health: SensorHealth[] = [];
  for (let j = 0; j < frame.columns.length; j++) {
    const name = frame.columns[j];
    const xs = column(frame, j);
    const n = xs.length;
    const range = options.ranges[name];
    let nan = 0, oor = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      if (!Number.isFinite(x)) nan++;
      else if (outOfRange(x, range)) oor++;
    }
    const masked = range && oor > 0 ? maskColumn(xs, range) : xs;
    let reason: string | undefined;
    if (n === 0 || nan / n > options.max_nan_fraction) {
      reason = `mostly missing: ${pct(n === 0 ? 1 : nan / n)} of training values are empty or NaN`;
    } else if (n > 0 && oor / n > options.max_out_of_range_fraction) {
      reason = `out of physical range [${range?.min ?? "-∞"}, ${range?.max ?? "∞"}] in ${
        pct(oor / n)
      } of training values`;
    } else if (!distinctAtLeast(masked, options.min_distinct_values)) {
      reason = `constant: fewer than ${options.min_distinct_values} distinct values in training`;
    } else {
      const run = longestRunFraction(masked);
      if (run > options.flatline_fraction) {
        reason = `flatlined: one value repeats for ${pct(run)} of training rows`;
      }
    }
    health.push(
      reason ? { sensor: name, status: "excluded", reason } : { sensor: name, status: "ok" },
    );
  }
  return { health, healthy: health.filter((h) => h.status === "ok").map((h) => h.sensor) };
}

function anyOutOfRange(
  frame: Frame,
  j: number,
  range: { min?: number; max?: number } | undefined,
): boolean {
  if (!range) return false;
  const col = column(frame, j);
  for (let i = 0; i < col.length; i++) if (outOfRange(col[i], range)) return true;
  return false;
}

function maskColumn(xs: Float64Array, range: { min?: number; max?: number }): Float64Array {
  const out = xs.slice();
  for (let i = 0; i < out.length; i++) if (outOfRange(out[i], range)) out[i] = NaN;
  return out;
}

/**
 * Restricts a frame to `sensors` (in that order), masking out-of-range values to NaN.
 * A sensor missing from the frame becomes an all-NaN column; such sensors and those present
 * without any finite value are noted as unmonitored (the heads score the others: a missing
 * value is filled by the training centre and contributes nothing); masking is noted too.
 * When the frame already has exactly these columns and no value is out of range,
 * the frame itself is returned (frames are never written to), not a copy.
 */
export function selectHealthy(
  frame: Frame,
  sensors: readonly string[],
  options: SensorHealthOptions,
): { frame: Frame; notes: DataNote[]; missing: string[] } {
  const rows = frame.rows;
  const same = sensors.length === frame.columns.length &&
    sensors.every((s, j) => frame.columns[j] === s && !anyOutOfRange(frame, j, options.ranges[s]));
  if (same) {
    const dead = sensors.filter((_, j) => !anyFinite(frame, j));
    return { frame, notes: unmonitoredNotes([], dead, sensors.length), missing: [] };
  }
  const values = new Float64Array(rows * sensors.length);
  const notes: DataNote[] = [];
  const missing: string[] = [];
  const dead: string[] = [];
  sensors.forEach((name, k) => {
    const j = frame.columns.indexOf(name);
    const target = values.subarray(k * rows, (k + 1) * rows);
    if (j < 0) {
      target.fill(NaN);
      missing.push(name);
      return;
    }
    target.set(column(frame, j));
    if (!anyFinite(frame, j)) dead.push(name);
    const range = options.ranges[name];
    if (range) {
      let masked = 0;
      for (let i = 0; i < rows; i++) {
        if (outOfRange(target[i], range)) {
          target[i] = NaN;
          masked++;
        }
      }
      if (masked > 0) {
        notes.push({
          kind: "out_of_range",
          column: name,
          count: masked,
          message:
            `${masked} value(s) of "${name}" outside its physical range were treated as missing`,
        });
      }
    }
  });
  notes.push(...unmonitoredNotes(missing, dead, sensors.length));
  return {
    frame: makeFrame({ columns: [...sensors], values, timestamps: frame.timestamps }),
    notes,
    missing,
  };
}

function anyFinite(frame: Frame, j: number): boolean {
  const col = column(frame, j);
  for (let i = 0; i < col.length; i++) if (Number.isFinite(col[i])) return true;
  return false;
}

/** The note naming model sensors missing from a chunk or present without a value. */
function unmonitoredNotes(missing: string[], dead: string[], of: number): DataNote[] {
  const n = missing.length + dead.length;
  if (n === 0) return [];
  const parts = [];
  if (missing.length) parts.push(`missing: ${missing.map((m) => `"${m}"`).join(", ")}`);
  if (dead.length) parts.push(`no value: ${dead.map((m) => `"${m}"`).join(", ")}`);
  return [{
    kind: "unmonitored",
    count: n,
    message: `${n} of ${of} model sensor${of === 1 ? "" : "s"} unmonitored in this chunk ` +
      `(${parts.join("; ")}); the others are scored, the model is not retrained`,
  }];
}
