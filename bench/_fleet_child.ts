/**
 * One measured fleet replay, in its own process: `replay()` (core/replay/replay.ts,
 * the path `acm replay` takes) of a chunk root with a pipeline and a worker count,
 * from scratch. Prints one JSON line prefixed `BENCH_RESULT `: replay wall seconds,
 * rows, chunks, failed assets, the wall seconds per stage summed over chunks from
 * the `chunk-stages` events (worker side: read+hash, parse, fit, fit/<engine stage>,
 * score, score/<engine stage>, sink:<id>, checkpoint, …; main thread: fleet sinks,
 * ledger, close), and worker start-up (replay start → each asset's first chunk).
 *
 *   deno run -A bench/_fleet_child.ts --chunks DIR --artifacts DIR --pipeline FILE --workers N
 *     [--set key=value]...
 */
import { parseArgs } from "node:util";
import { replay } from "../core/replay/replay.ts";
import type { ReplayEvent } from "../core/replay/events.ts";
import { RESULT_PREFIX } from "./_child.ts";

/** What the child reports. */
export interface FleetChildResult {
  seconds: number;
  rows: number;
  chunks: number;
  failed: number;
  /** Stage → summed wall seconds ("worker/…" in the asset Workers, "main/…" on the main thread). */
  stages: Record<string, number>;
  /** Process CPU seconds of the same stages (engine sub-stages: none). */
  cpu: Record<string, number>;
  /**
   * Per asset, seconds until its first chunk starts, from replay start (first asset) or
   * from the previous asset's Worker closing its sinks: with one worker, the Worker's
   * start-up, module load and setup (the replay's planning too, for the first).
   */
  startup: number[];
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    args: Deno.args,
    options: {
      chunks: { type: "string" },
      artifacts: { type: "string" },
      pipeline: { type: "string" },
      workers: { type: "string", default: "1" },
      set: { type: "string", multiple: true, default: [] },
    },
  });
  if (!a.chunks || !a.artifacts || !a.pipeline) {
    throw new Error("Cannot run: --chunks, --artifacts and --pipeline are required");
  }
  await Deno.remove(a.artifacts, { recursive: true }).catch(() => {});
  const stages: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const startup: number[] = [];
  const seen = new Set<string>();
  const t0 = performance.now();
  let lastDone = t0; // with one worker, the next asset's Worker starts when the last one closed
  const onEvent = (e: ReplayEvent) => {
    if (e.type === "chunk-start" && !seen.has(e.asset)) {
      seen.add(e.asset);
      startup.push((performance.now() - lastDone) / 1000);
    } else if (e.type === "chunk-stages") {
      if (e.where === "worker" && e.chunk === "") lastDone = performance.now();
      for (const [k, v] of Object.entries(e.seconds)) {
        const key = `${e.where}/${k}`;
        stages[key] = (stages[key] ?? 0) + v;
      }
      for (const [k, v] of Object.entries(e.cpu ?? {})) {
        const key = `${e.where}/${k}`;
        cpu[key] = (cpu[key] ?? 0) + v;
      }
    }
  };
  const summary = await replay({
    pipeline: a.pipeline,
    chunkRoot: a.chunks,
    artifactRoot: a.artifacts,
    maxWorkers: Number(a.workers),
    overrides: a.set,
    clearCache: true,
    onEvent,
  });
  const result: FleetChildResult = {
    seconds: (performance.now() - t0) / 1000,
    rows: summary.rows,
    chunks: summary.assets.reduce((n, s) => n + s.done, 0),
    failed: summary.assets.filter((s) => s.status === "failed").length,
    stages,
    cpu,
    startup,
  };
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

if (import.meta.main) await main();
