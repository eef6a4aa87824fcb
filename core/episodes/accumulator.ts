/**
 * Running statistics of one episode (plain data, carried across chunks):
 * time span, peak and mean fused z, and summed head, sensor and regime weights
 * from which the dominant head, the culprit sensors and the regime are read.
 */
import type { Episode, Severity } from "../plugin.ts";
import type { EpisodeOptions } from "../pipeline/stage_schemas.ts";

/** Statistics of an episode so far. */
export interface EpisodeAccum {
  id: number;
  start: number;
  end: number;
  peak: number;
  sum: number;
  n: number;
  heads: Record<string, number>;
  sensors: Record<string, number>;
  regimes: Record<string, number>;
}

/** What one row adds to an episode. */
export interface RowAttribution {
  heads: Record<string, number>;
  sensors: Record<string, number>;
  regime: number;
}

/**
 * A row's attribution with the sensor shares in a dense array (what
 * core/engine/attribution.ts builds): `values[slots[k]]` is the share of sensor
 * `names[slots[k]]`, k < count, slots ascending. The arrays are the producer's
 * scratch, valid until its next row; `addRow` reads them without building the
 * `sensors` record, which is made on demand for other readers.
 */
export class DenseRowAttribution implements RowAttribution {
  constructor(
    readonly heads: Record<string, number>,
    readonly names: readonly string[],
    readonly values: Float64Array,
    readonly slots: Int32Array,
    readonly count: number,
    readonly regime: number,
  ) {}

  /** The sensor shares as a record (sensors in slot order). */
  get sensors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let k = 0; k < this.count; k++) {
      const s = this.slots[k];
      out[this.names[s]] = this.values[s];
    }
    return out;
  }
}

/** A fresh accumulator starting at time `t`. */
export function newAccum(id: number, t: number): EpisodeAccum {
  return {
    id,
    start: t,
    end: t,
    peak: -Infinity,
    sum: 0,
    n: 0,
    heads: {},
    sensors: {},
    regimes: {},
  };
}

/**
 * Sensor sums of an accumulator kept in a dense array while dense rows arrive
 * (one array add per sensor and row instead of a keyed update): `sums[s]`
 * starts at the record's value (0 when absent) and takes the same additions in
 * the same order, and `fresh` lists the slots absent from the record in the
 * order they were first touched, so `flushDense` rebuilds exactly the record
 * the keyed updates would have made (values and key order).
 */
interface DenseSums {
  names: readonly string[];
  sums: Float64Array;
  known: Uint8Array;
  fresh: number[];
}

const dense = new WeakMap<EpisodeAccum, DenseSums>();

/** Writes the dense sums of `acc` (if any) back into `acc.sensors`; call before reading them. */
export function flushDense(acc: EpisodeAccum | null): void {
  if (acc === null) return;
  const d = dense.get(acc);
  if (!d) return;
  dense.delete(acc);
  const { names, sums, known, fresh } = d;
  for (let s = 0; s < names.length; s++) {
    if (known[s] === 1) acc.sensors[names[s]] = sums[s];
  }
  for (const s of fresh) acc.sensors[names[s]] = sums[s];
}

function denseOf(acc: EpisodeAccum, names: readonly string[]): DenseSums {
  let d = dense.get(acc);
  if (d && d.names === names) return d;
  flushDense(acc);
  const sums = new Float64Array(names.length), known = new Uint8Array(names.length);
  for (let s = 0; s < names.length; s++) {
    if (Object.hasOwn(acc.sensors, names[s])) {
      known[s] = 1;
      sums[s] = acc.sensors[names[s]];
    }
  }
  d = { names, sums, known, fresh: [] };
  dense.set(acc, d);
  return d;
}

/** Adds one row (time `t`, fused `z`) to an accumulator. */
export function addRow(acc: EpisodeAccum, t: number, z: number, row: RowAttribution): void {
  if (t > acc.end) acc.end = t;
  if (t < acc.start) acc.start = t;
  if (z > acc.peak) acc.peak = z;
  acc.sum += z;
  acc.n++;
  for (const k in row.heads) acc.heads[k] = (acc.heads[k] ?? 0) + row.heads[k];
  if (row instanceof DenseRowAttribution) {
    const { values, slots, count } = row;
    const d = denseOf(acc, row.names);
    const { sums, known } = d;
    for (let k = 0; k < count; k++) {
      const s = slots[k];
      if (known[s] === 0) {
        known[s] = 2; // touched here, absent from the record
        d.fresh.push(s);
      }
      sums[s] += values[s];
    }
  } else {
    flushDense(acc);
    for (const k in row.sensors) acc.sensors[k] = (acc.sensors[k] ?? 0) + row.sensors[k];
  }
  const r = String(row.regime);
  acc.regimes[r] = (acc.regimes[r] ?? 0) + 1;
}

/** Folds `b` (later rows) into `a`. */
export function mergeAccum(a: EpisodeAccum, b: EpisodeAccum): void {
  flushDense(a);
  flushDense(b);
  a.start = Math.min(a.start, b.start);
  a.end = Math.max(a.end, b.end);
  a.peak = Math.max(a.peak, b.peak);
  a.sum += b.sum;
  a.n += b.n;
  for (const k in b.heads) a.heads[k] = (a.heads[k] ?? 0) + b.heads[k];
  for (const k in b.sensors) a.sensors[k] = (a.sensors[k] ?? 0) + b.sensors[k];
  for (const k in b.regimes) a.regimes[k] = (a.regimes[k] ?? 0) + b.regimes[k];
}

function argmax(rec: Record<string, number>): string | undefined {
  let best: string | undefined, bestV = -Infinity;
  for (const k of Object.keys(rec).sort()) {
    if (rec[k] > bestV) {
      bestV = rec[k];
      best = k;
    }
  }
  return best;
}

/** Severity from the peak fused z. */
export function severityOf(peak: number, options: EpisodeOptions): Severity {
  return peak >= options.critical_z ? "critical" : peak >= options.warning_z ? "warning" : "info";
}

/** The episode an accumulator describes. */
export function toEpisode(acc: EpisodeAccum, open: boolean, options: EpisodeOptions): Episode {
  flushDense(acc);
  const total = Object.values(acc.sensors).reduce((s, v) => s + Math.max(0, v), 0);
  const culprits = Object.entries(acc.sensors)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.top_culprits)
    .map(([sensor, v]) => ({ sensor, pct: Math.round((1000 * v) / total) / 10 }));
  const regime = argmax(acc.regimes);
  return {
    id: acc.id,
    start: acc.start,
    end: acc.end,
    duration_s: (acc.end - acc.start) / 1000,
    peak_z: acc.peak,
    mean_z: acc.n > 0 ? acc.sum / acc.n : 0,
    severity: severityOf(acc.peak, options),
    detector: argmax(acc.heads) ?? "",
    culprits,
    regime: regime === undefined ? -1 : Number(regime),
    open,
  };
}
