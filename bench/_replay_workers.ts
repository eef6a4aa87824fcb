/**
 * Replay throughput with a worker pool: the demo's synthetic fleet (fleet
 * generator defaults: 14 days at 5 min; here with `assets` assets so 4 workers
 * have work), split like `acm demo` (7-day first chunk, 2-day chunks), replayed
 * from scratch with `replay()` (core/replay/replay.ts) once per worker count.
 * Measures everything replay does: parse, fit, score, sinks, ledger.
 */
import { generateFleet, writeFleetCsv } from "../core/synth/fleet.ts";
import { splitFiles } from "../core/replay/split.ts";

/** One replay run. */
export interface WorkerRun {
  workers: number;
  seconds: number;
  rows: number;
  assets: number;
  chunks: number;
  rowsPerS: number;
  assetsPerS: number;
  failed: number;
}

/** Fleet size of the replay measurement. */
export interface ReplayFleetSpec {
  assets: number;
  days: number;
  cadenceS: number;
  firstChunkDays: number;
  chunkDays: number;
}

/** Writes the fleet's chunk folders under `dir/chunked`; returns the chunk root. */
export async function writeReplayFleet(dir: string, spec: ReplayFleetSpec): Promise<string> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const fleet = generateFleet({ assets: spec.assets, days: spec.days, cadenceS: spec.cadenceS });
  const files = await writeFleetCsv(fleet, `${dir}/data`);
  for (const [asset, csv] of Object.entries(files.csv)) {
    await splitFiles({
      inputs: [csv],
      output: `${dir}/chunked/${asset}`,
      firstChunkDays: spec.firstChunkDays,
      chunkDays: spec.chunkDays,
    });
  }
  return `${dir}/chunked`;
}

/**
 * Replays `chunkRoot` once per worker count into fresh artifact folders under `dir`.
 * Returns null (and the reason) when core/replay/replay.ts cannot be imported.
 */
export async function measureWorkers(
  dir: string,
  chunkRoot: string,
  pipeline: string,
  workerCounts: readonly number[],
): Promise<{ runs: WorkerRun[]; skipped: string | null }> {
  let replay;
  try {
    ({ replay } = await import("../core/replay/replay.ts"));
  } catch (err) {
    return {
      runs: [],
      skipped: `core/replay/replay.ts unavailable (${err instanceof Error ? err.message : err})`,
    };
  }
  const runs: WorkerRun[] = [];
  for (const workers of workerCounts) {
    const artifactRoot = `${dir}/artifacts_w${workers}`;
    await Deno.remove(artifactRoot, { recursive: true }).catch(() => {});
    const t0 = performance.now();
    const summary = await replay({
      pipeline,
      chunkRoot,
      artifactRoot,
      maxWorkers: workers,
      clearCache: true,
    });
    const seconds = (performance.now() - t0) / 1000;
    const assets = summary.assets.length;
    runs.push({
      workers,
      seconds,
      rows: summary.rows,
      assets,
      chunks: summary.assets.reduce((n, a) => n + a.done, 0),
      rowsPerS: summary.rows / seconds,
      assetsPerS: assets / seconds,
      failed: summary.assets.filter((a) => a.status === "failed").length,
    });
  }
  return { runs, skipped: null };
}
