/**
 * Writes a labelled fleet as `acm split` would lay it out for replay:
 * `<chunk-root>/<ASSET>/batch_001.csv` (the training chunk), then one
 * `batch_NNN.csv` per weekly chunk (timestamp column `timestamp`,
 * `YYYY-MM-DDTHH:MM:SS`, numbers at full precision, NaN as an empty cell), and
 * the ground truth as JSON-ready data.
 */
import { formatTimestamp, sliceRows } from "../frame.ts";
import { atomicWriteText, ensureDir } from "../io/atomic_write.ts";
import { frameToCsv } from "../replay/split.ts";
import { lowerBound } from "../numeric/lower_bound.ts";
import type { LabelledFleet } from "./labelled_fleet.ts";

/** Chunk boundaries of the fleet: training, then each week, [start, end) epoch ms. */
export function chunkWindows(fleet: LabelledFleet): Array<[number, number]> {
  return [[fleet.start, fleet.trainEnd], ...fleet.weeks];
}

/** Writes every asset's chunks under `chunkRoot`; returns the files written per asset. */
export async function writeLabelledChunks(
  fleet: LabelledFleet,
  chunkRoot: string,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const asset of fleet.assets) {
    const dir = `${chunkRoot}/${asset.name}`;
    await ensureDir(dir);
    out[asset.name] = [];
    const ts = asset.frame.timestamps;
    for (const [k, [a, b]] of chunkWindows(fleet).entries()) {
      const path = `${dir}/batch_${String(k + 1).padStart(3, "0")}.csv`;
      const part = sliceRows(asset.frame, lowerBound(ts, a), lowerBound(ts, b));
      await atomicWriteText(path, frameToCsv(part, "timestamp"));
      out[asset.name].push(path);
    }
  }
  return out;
}

/** The ground truth as JSON-ready data (times as naive ISO strings). */
export function labelledTruth(fleet: LabelledFleet): Record<string, unknown> {
  return {
    seed: fleet.seed,
    start: formatTimestamp(fleet.start),
    train_end: formatTimestamp(fleet.trainEnd),
    end: formatTimestamp(fleet.end),
    assets: fleet.assets.map((a) => ({
      name: a.name,
      sensors: a.sensors.map((s) => ({ name: s.name, role: s.role })),
      rows: a.frame.rows,
      train_stop: a.trainStop,
      stops: a.stops.map(([s, e]) => [formatTimestamp(s), formatTimestamp(e)]),
    })),
    faults: fleet.faults.map((f) => ({
      ...f,
      start: formatTimestamp(f.start),
      end: formatTimestamp(f.end),
    })),
  };
}
