/**
 * The fleet of the "fleet" bench section (issue 14): 4 assets with 9, 16, 24 and
 * 40 sensors at 1-minute cadence, a 14-day fault-free bootstrap chunk then seven
 * weekly chunks (8 chunks, 90,720 rows per asset, 362,880 in all). Each asset comes
 * from the project's generator (core/synth/fleet.ts: linked sensors, stops,
 * 0.1 % missing cells, injected faults after training), one call per asset since
 * the sensor count differs. Written as `<root>/<asset>/batch_NNN.csv`.
 */
import type { Frame } from "../core/frame.ts";
import type { AssetType } from "../core/synth/assets.ts";
import { generateFleet } from "../core/synth/fleet.ts";
import { csvLine } from "../core/io/csv_text.ts";
import { CsvWriter } from "../core/io/csv_writer.ts";

/** Shape of the bench fleet. */
export interface FleetSpec {
  assets: Array<{ name: string; type: AssetType; sensors: number }>;
  cadenceS: number;
  firstChunkDays: number;
  chunkDays: number;
  /** Chunks after the bootstrap chunk. */
  scoringChunks: number;
  seed: number;
}

/** The issue's fleet. */
export const ISSUE_FLEET: FleetSpec = {
  assets: [
    { name: "PUMP_A", type: "pump", sensors: 9 },
    { name: "FAN_B", type: "fan", sensors: 16 },
    { name: "TURBINE_C", type: "turbine", sensors: 24 },
    { name: "FAN_D", type: "fan", sensors: 40 },
  ],
  cadenceS: 60,
  firstChunkDays: 14,
  chunkDays: 7,
  scoringChunks: 7,
  seed: 11,
};

/** A smoke-sized fleet for `--quick`. */
export const QUICK_FLEET: FleetSpec = {
  ...ISSUE_FLEET,
  assets: ISSUE_FLEET.assets.slice(0, 2).map((a) => ({ ...a, sensors: Math.min(a.sensors, 10) })),
  cadenceS: 600,
  firstChunkDays: 4,
  chunkDays: 2,
  scoringChunks: 2,
};

/** What writeFleet() wrote. */
export interface WrittenFleet {
  root: string;
  rows: number;
  bytes: number;
  chunks: number;
  /** Raw Float64 MB of the largest chunk (rows × sensors × 8). */
  largestChunkRawMb: number;
  assets: Array<{ name: string; sensors: number; rows: number }>;
}

const DAY_S = 86_400;

/** Rows [start, end) of `frame` as chunk CSV bytes (timestamp first, numbers shortest round-trip). */
function chunkBytes(frame: Frame, start: number, end: number): Uint8Array {
  const w = new CsvWriter();
  w.text(csvLine(["timestamp", ...frame.columns]));
  const n = frame.rows, d = frame.columns.length;
  for (let i = start; i < end; i++) {
    w.timestamp(frame.timestamps[i]);
    for (let j = 0; j < d; j++) {
      w.comma();
      w.number(frame.values[j * n + i]);
    }
    w.newline();
  }
  return w.bytes();
}

/** Generates the fleet and writes its chunk folders under `root` (replaced). */
export async function writeFleet(root: string, spec: FleetSpec): Promise<WrittenFleet> {
  await Deno.remove(root, { recursive: true }).catch(() => {});
  const days = spec.firstChunkDays + spec.chunkDays * spec.scoringChunks;
  const out: WrittenFleet = {
    root,
    rows: 0,
    bytes: 0,
    chunks: 0,
    largestChunkRawMb: 0,
    assets: [],
  };
  for (const a of spec.assets) {
    const fleet = generateFleet({
      seed: spec.seed,
      assets: [{ name: a.name, type: a.type }],
      sensors: a.sensors,
      days: days + 0.5 * spec.cadenceS / DAY_S,
      cadenceS: spec.cadenceS,
      trainDays: spec.firstChunkDays,
      faultsPerAsset: 3,
    });
    const frame = fleet.assets[0].frame;
    const dir = `${root}/${a.name}`;
    await Deno.mkdir(dir, { recursive: true });
    const perDay = DAY_S / spec.cadenceS;
    const bounds = [0, spec.firstChunkDays * perDay];
    for (let k = 1; k <= spec.scoringChunks; k++) bounds.push(bounds[k] + spec.chunkDays * perDay);
    for (let k = 0; k + 1 < bounds.length; k++) {
      const bytes = chunkBytes(frame, bounds[k], Math.min(bounds[k + 1], frame.rows));
      await Deno.writeFile(`${dir}/batch_${String(k + 1).padStart(3, "0")}.csv`, bytes);
      out.bytes += bytes.length;
      out.chunks++;
      const rawMb = ((bounds[k + 1] - bounds[k]) * frame.columns.length * 8) / 1e6;
      out.largestChunkRawMb = Math.max(out.largestChunkRawMb, rawMb);
    }
    const rows = Math.min(bounds[bounds.length - 1], frame.rows);
    out.rows += rows;
    out.assets.push({ name: a.name, sensors: frame.columns.length, rows });
  }
  return out;
}
