/**
 * The expected values and residuals of an asset rebuilt from the traces the
 * report sink was handed this run, instead of parsing expected.csv back: the
 * same numbers, since the csv sink rounds each to the significant digits its
 * part manifest records (`expectedDigits`, applied here with the same
 * `roundSignificant`, through its faster twin roundTraces in trace_rounding.ts)
 * and writes the shortest round-trip decimal of that
 * (parse(format(x)) === x; −0 is written "0", so it reads +0 here too), and
 * timestamps at millisecond precision. Used only when every chunk the csv
 * sink recorded with traces (its part manifests, in their order) is in the
 * cache with the same row count and all share one sensor list; else null and
 * the caller reads the file (a resumed run, a retrain that changed sensors).
 */
import type { SensorTraces } from "../plugin.ts";
import { PartStore } from "../io/part_store.ts";
import type { CsvManifest } from "../io/csv_outputs.ts";
import { roundTraces } from "./trace_rounding.ts";

/** One chunk's traces as handed to a sink. */
export interface CachedTraces {
  t: Float64Array;
  /** Absent when no head exported traces for the chunk. */
  traces?: SensorTraces;
}

/** Expected/residual columns over the recorded chunks, or null when the cache cannot stand in. */
export async function tracesFromCache(
  assetDir: string,
  cache: ReadonlyMap<string, CachedTraces>,
): Promise<
  {
    t: Float64Array;
    expected: Record<string, Float64Array>;
    residual: Record<string, Float64Array>;
  } | null
> {
  if (cache.size === 0) return null;
  const manifests = (await new PartStore<CsvManifest>(`${assetDir}/.parts/csv`).manifests())
    .filter((m) => m.expected);
  if (manifests.length === 0) return null;
  const pieces: CachedTraces[] = [], digits: number[] = [];
  for (const m of manifests) {
    const c = cache.get(m.chunk);
    if (!c || !c.traces || c.t.length !== m.rows) return null;
    pieces.push(c);
    digits.push(m.expectedDigits ?? 0); // absent: written at full precision
  }
  const sensors = pieces[0].traces!.sensors;
  const key = sensors.join("\u0000");
  if (pieces.some((p) => p.traces!.sensors.join("\u0000") !== key)) return null;
  if (new Set(sensors).size !== sensors.length) return null;
  const n = pieces.reduce((s, p) => s + p.t.length, 0);
  const t = new Float64Array(n);
  const expected: Record<string, Float64Array> = {}, residual: Record<string, Float64Array> = {};
  for (const s of sensors) {
    expected[s] = new Float64Array(n);
    residual[s] = new Float64Array(n);
  }
  let at = 0;
  for (const [k, p] of pieces.entries()) {
    const dg = digits[k];
    const rows = p.t.length;
    for (let i = 0; i < rows; i++) {
      const ms = p.t[i];
      if (Math.floor(ms) !== ms) return null; // written at ms precision: would not read back
      t[at + i] = ms;
    }
    const pe = p.traces!.expected, pr = p.traces!.residual;
    for (let j = 0; j < sensors.length; j++) {
      // as written: rounded, and + 0 turns −0 into +0, as the text does
      roundTraces(pe, j * rows, rows, dg, expected[sensors[j]], at);
      roundTraces(pr, j * rows, rows, dg, residual[sensors[j]], at);
    }
    at += rows;
  }
  return { t, expected, residual };
}
