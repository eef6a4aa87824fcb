/**
 * Benchmark chunk sets: one synthetic asset from the project's fleet generator
 * (core/synth/fleet.ts: physically linked sensors, stops, 0.1 % missing cells, one
 * flatlined sensor, injected faults after the bootstrap chunk), cut into a bootstrap
 * chunk and equal scoring chunks, written as `batch_NNN.csv` with ISO timestamps.
 */
import { formatTimestamp } from "../core/frame.ts";
import { frameToCsv } from "../core/replay/split.ts";
import type { AssetType } from "../core/synth/assets.ts";
import { generateFleet } from "../core/synth/fleet.ts";

/** One benchmark size: sensors × rows per chunk at a cadence. */
export interface ChunkSpec {
  /** Sensors of the asset (catalogue sensors first, then derived extras). */
  sensors: number;
  /** Rows of every chunk (the bootstrap chunk and each scoring chunk). */
  rows: number;
  /** Scoring chunks after the bootstrap chunk. */
  scoringChunks: number;
  cadenceS: number;
  type: AssetType;
  seed?: number;
}

/** What writeChunkSet() wrote. */
export interface ChunkSet {
  dir: string;
  files: string[];
  asset: string;
  sensors: number;
  rowsPerChunk: number;
  /** Total rows over all chunks. */
  rows: number;
  bytes: number;
  /** Injected fault windows (naive ISO), for the record. */
  faults: Array<{ kind: string; start: string; end: string }>;
}

const DAY_S = 86_400;

/** Generates the asset and writes `1 + scoringChunks` chunk CSVs into `dir` (created; old CSVs removed). */
export async function writeChunkSet(dir: string, spec: ChunkSpec): Promise<ChunkSet> {
  const chunks = 1 + spec.scoringChunks;
  const total = spec.rows * chunks;
  const asset = `BENCH_${spec.type.toUpperCase()}`;
  const fleet = generateFleet({
    seed: spec.seed ?? 11,
    assets: [{ name: asset, type: spec.type }],
    sensors: spec.sensors,
    // a hair over the exact span so the floor() in the generator yields `total` rows
    days: ((total + 0.5) * spec.cadenceS) / DAY_S,
    cadenceS: spec.cadenceS,
    trainDays: (spec.rows * spec.cadenceS) / DAY_S,
    faultsPerAsset: Math.min(4, Math.max(1, spec.scoringChunks)),
  });
  const frame = fleet.assets[0].frame;
  if (frame.rows < total) {
    throw new RangeError(`Cannot write chunks: generator gave ${frame.rows} rows, wanted ${total}`);
  }
  await Deno.mkdir(dir, { recursive: true });
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".csv")) await Deno.remove(`${dir}/${e.name}`);
  }
  const files: string[] = [];
  let bytes = 0;
  for (let k = 0; k < chunks; k++) {
    const path = `${dir}/batch_${String(k + 1).padStart(3, "0")}.csv`;
    const text = frameToCsv(frame, "timestamp", k * spec.rows, (k + 1) * spec.rows);
    await Deno.writeTextFile(path, text);
    bytes += text.length;
    files.push(path);
  }
  return {
    dir,
    files,
    asset,
    sensors: frame.columns.length,
    rowsPerChunk: spec.rows,
    rows: total,
    bytes,
    faults: fleet.faults.map((f) => ({
      kind: f.kind,
      start: formatTimestamp(f.start),
      end: formatTimestamp(f.end),
    })),
  };
}
