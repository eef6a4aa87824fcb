/**
 * Writes a generated fleet to disk: one `<ASSET>.csv` per asset (timestamp column
 * `timestamp`, `YYYY-MM-DDTHH:MM:SS`, numbers at full precision, NaN as an empty
 * cell) and `faults.json` with the ground truth and the deliberate data-quality notes.
 */
import { formatTimestamp } from "../frame.ts";
import { atomicWriteText, ensureDir } from "../io/atomic_write.ts";
import { frameToCsv } from "../replay/split.ts";
import type { Fleet } from "./fleet.ts";

/** What writeFleetCsv() wrote. */
export interface FleetFiles {
  /** Per asset name, the path of its CSV. */
  csv: Record<string, string>;
  /** Path of faults.json. */
  faults: string;
}

/** The ground truth as JSON-ready data (times as naive ISO strings). */
export function fleetTruth(fleet: Fleet): Record<string, unknown> {
  return {
    seed: fleet.seed,
    cadence_s: fleet.cadenceS,
    start: formatTimestamp(fleet.start),
    end: formatTimestamp(fleet.end),
    train_end: formatTimestamp(fleet.trainEnd),
    assets: fleet.assets.map((a) => ({
      name: a.name,
      type: a.type,
      rows: a.frame.rows,
      sensors: a.sensors.map((s) => s.name),
    })),
    faults: fleet.faults.map((f) => ({
      asset: f.asset,
      kind: f.kind,
      start: formatTimestamp(f.start),
      end: formatTimestamp(f.end),
      sensors: f.sensors,
      description: f.description,
    })),
    notes: fleet.notes,
  };
}

/** Writes one CSV per asset and `faults.json` into `dir` (created if missing), atomically. */
export async function writeFleetCsv(fleet: Fleet, dir: string): Promise<FleetFiles> {
  await ensureDir(dir);
  const csv: Record<string, string> = {};
  for (const asset of fleet.assets) {
    const path = `${dir}/${asset.name}.csv`;
    await atomicWriteText(path, frameToCsv(asset.frame, "timestamp"));
    csv[asset.name] = path;
  }
  const faults = `${dir}/faults.json`;
  await atomicWriteText(faults, JSON.stringify(fleetTruth(fleet), null, 2) + "\n");
  return { csv, faults };
}
