/**
 * `acm demo`: the whole product on a synthetic fleet. Generates the fleet (with
 * injected faults), splits each asset into a 7-day training chunk and 2-day
 * scoring chunks, replays them with a worker pool, then compares the episodes
 * found with the injected faults. Layout under `out`:
 *   data/<ASSET>.csv + faults.json · chunked/<ASSET>/batch_NNN.csv · artifacts/<ASSET>/...
 */
import { fileURLToPath } from "node:url";
import { replay, type ReplayOptions } from "../replay/replay.ts";
import type { ReplayEvent } from "../replay/events.ts";
import type { ReplaySummary } from "../replay/summary.ts";
import { splitFiles } from "../replay/split.ts";
import { loadPipeline } from "../pipeline/load.ts";
import { withPluginIsolation } from "../pipeline/plugin_sandbox.ts";
import { type Fleet, type FleetOptions, generateFleet, writeFleetCsv } from "./fleet.ts";
import {
  type DetectedEpisode,
  type FaultReport,
  matchFaults,
  readEpisodesCsv,
} from "./match_faults.ts";

/** The replay entry point (core/replay/replay.ts); injectable for tests. */
export type ReplayFn = (options: ReplayOptions) => Promise<ReplaySummary>;

/** Demo settings. */
export interface DemoOptions {
  /** Output folder (default `artifacts/demo`). */
  out?: string;
  /** Worker pool size (default 2). */
  maxWorkers?: number;
  /** Generator options (default: 3 assets × 14 days at 5 min). */
  fleet?: FleetOptions;
  /** Pipeline file (default the project's pipelines/default.yaml). */
  pipeline?: string;
  /** Days of the first (training) chunk and of the later chunks (default 7 and 2). */
  firstChunkDays?: number;
  chunkDays?: number;
  /** Replay implementation (default: the real one). */
  replay?: ReplayFn;
  /** Where progress lines go (default console.log). */
  print?: (line: string) => void;
}

/** What the demo did. */
export interface DemoResult {
  out: string;
  dataDir: string;
  chunkRoot: string;
  artifactRoot: string;
  fleet: Fleet;
  /** Chunks written per asset. */
  chunks: Record<string, number>;
  /** What replay() returned. */
  summary: ReplaySummary;
  episodes: DetectedEpisode[];
  report: FaultReport;
  /** Output files found per asset (scores.csv, episodes.csv, reports ...). */
  outputs: Record<string, string[]>;
}

const MARKER = ".acm-demo";

/** The project's default pipeline file, located from this module. */
export const DEFAULT_PIPELINE = fileURLToPath(
  new URL("../../pipelines/default.yaml", import.meta.url),
);

/** Empties a previous demo folder (recognised by its marker); refuses any other non-empty folder. */
async function prepareOut(out: string): Promise<void> {
  const entries: string[] = [];
  try {
    for await (const e of Deno.readDir(out)) entries.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new Error(
      `Cannot run demo: "${out}" is not empty and was not made by acm demo\n` +
        `    hint: pass --out with a new or empty folder`,
    );
  }
  for (const name of ["data", "chunked", "artifacts"]) {
    await Deno.remove(`${out}/${name}`, { recursive: true }).catch(() => {});
  }
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(
    `${out}/${MARKER}`,
    "made by `acm demo`; the folder is replaced on re-run\n",
  );
}

/** Files under an asset's artifact folder that people look at. */
async function outputsOf(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && /\.(csv|html|json|jsonl)$/.test(e.name)) found.push(`${dir}/${e.name}`);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const rank = (p: string) =>
    p.endsWith("/scores.csv") ? 0 : p.endsWith("/episodes.csv") ? 1 : p.endsWith(".html") ? 2 : 3;
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** True when the optional HTML report sink ships with this build. */
async function hasReportSink(): Promise<boolean> {
  try {
    await Deno.stat(new URL("../../plugins/sinks/report.ts", import.meta.url));
    return true;
  } catch {
    return false;
  }
}

/** Prints the replay events worth seeing in a demo: failures only (the summary follows). */
function demoEvents(print: (line: string) => void): (e: ReplayEvent) => void {
  return (e) => {
    if (e.type === "asset-failed") {
      print(`  ${e.asset}: FAILED at ${e.chunk ?? "start"}: ${e.error}`);
    }
    if (e.type === "log" && e.level === "error") print(`  ${e.asset || "replay"}: ${e.message}`);
  };
}

/** Runs the demo end to end and returns what it found (printing progress through `print`). */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const out = opts.out ?? "artifacts/demo";
  const dataDir = `${out}/data`, chunkRoot = `${out}/chunked`, artifactRoot = `${out}/artifacts`;
  const pipeline = opts.pipeline ?? DEFAULT_PIPELINE;
  // A pipeline that cannot be used fails here, before any data is generated or written.
  // Third-party plugins load in the plugin sandbox, as in the replay itself.
  if (!opts.replay) await withPluginIsolation(() => loadPipeline(pipeline));
  await prepareOut(out);
  const fleet = generateFleet(opts.fleet);
  const files = await writeFleetCsv(fleet, dataDir);
  const rows = fleet.assets[0]?.frame.rows ?? 0;
  print(
    `synthetic fleet: ${fleet.assets.length} assets × ${rows.toLocaleString("en")} rows ` +
      `(${((fleet.end - fleet.start) / 86_400_000).toFixed(0)} days at ${
        fleet.cadenceS / 60
      } min), ` +
      `${fleet.faults.length} injected faults → ${dataDir}`,
  );
  const firstChunkDays = opts.firstChunkDays ?? 7;
  const chunkDays = opts.chunkDays ?? 2;
  const chunks: Record<string, number> = {};
  for (const asset of fleet.assets) {
    const result = await splitFiles({
      inputs: [files.csv[asset.name]],
      output: `${chunkRoot}/${asset.name}`,
      firstChunkDays,
      chunkDays,
    });
    chunks[asset.name] = result.chunks.length;
  }
  const counts = [...new Set(Object.values(chunks))].join("/");
  print(
    `split: ${counts} chunks per asset (first ${firstChunkDays} days train, then ${chunkDays}-day chunks) → ${chunkRoot}`,
  );
  const maxWorkers = opts.maxWorkers ?? 2;
  print(`replay: ${maxWorkers} workers, pipeline ${pipeline}`);
  const summary = await (opts.replay ?? replay)({
    pipeline,
    chunkRoot,
    artifactRoot,
    maxWorkers,
    enableReport: await hasReportSink(),
    onEvent: demoEvents(print),
  });
  for (const a of summary.assets) {
    const versions = a.modelVersions.map((v) => `v${v}`).join(",") || "-";
    print(
      `  ${a.asset.padEnd(10)} ${
        a.status === "ok" ? "ok    " : "FAILED"
      } ${a.done}/${a.chunks} chunks, ` +
        `${a.rows.toLocaleString("en")} rows, model ${versions}, ${a.seconds.toFixed(1)} s` +
        (a.error ? ` — ${a.error}` : ""),
    );
  }
  print(
    `  ${summary.rows.toLocaleString("en")} rows in ${summary.seconds.toFixed(1)} s ` +
      `(${Math.round(summary.rowsPerSecond).toLocaleString("en")} rows/s)` +
      (summary.warnings.length ? `, ${summary.warnings.length} warning(s):` : ""),
  );
  for (const w of summary.warnings) print(`    [WARN] ${w.replace(/\n/g, "\n           ")}`);
  const episodes: DetectedEpisode[] = [];
  const outputs: Record<string, string[]> = {};
  for (const asset of fleet.assets) {
    const dir = `${artifactRoot}/${asset.name}`;
    episodes.push(...await readEpisodesCsv(`${dir}/episodes.csv`, asset.name));
    outputs[asset.name] = await outputsOf(dir);
  }
  const report = matchFaults(fleet.faults, episodes);
  return {
    out,
    dataDir,
    chunkRoot,
    artifactRoot,
    fleet,
    chunks,
    summary,
    episodes,
    report,
    outputs,
  };
}
