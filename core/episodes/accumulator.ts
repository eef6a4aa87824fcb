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

/** Adds one row (time `t`, fused `z`) to an accumulator. */
export function addRow(acc: EpisodeAccum, t: number, z: number, row: RowAttribution): void {
  if (t > acc.end) acc.end = t;
  if (t < acc.start) acc.start = t;
  if (z > acc.peak) acc.peak = z;
  acc.sum += z;
  acc.n++;
  for (const k in row.heads) acc.heads[k] = (acc.heads[k] ?? 0) + row.heads[k];
  for (const k in row.sensors) acc.sensors[k] = (acc.sensors[k] ?? 0) + row.sensors[k];
  const r = String(row.regime);
  acc.regimes[r] = (acc.regimes[r] ?? 0) + 1;
}

/** Folds `b` (later rows) into `a`. */
export function mergeAccum(a: EpisodeAccum, b: EpisodeAccum): void {
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
