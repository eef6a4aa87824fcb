/**
 * One measured run, in its own process so its peak memory is its own: parse every
 * chunk CSV, fit the pipeline on the first, score the others in order (stream state
 * carried), write `scores.csv` (timestamp, fused, alarm) and `episodes.csv`
 * (start, end, peak_z) like the Python peer, and print one JSON line prefixed
 * `BENCH_RESULT ` with wall and CPU seconds, the engine's per-stage CPU seconds of
 * training and of scoring (summed over the scoring chunks), the RSS after
 * start-up and the peak RSS (getrusage), and the engine's own peak: RSS with the
 * parsed chunks loaded and the peak of fit + scoring after it (VmHWM reset).
 *
 *   deno run -A bench/_child.ts --chunks DIR --out DIR [--pipeline FILE]
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { formatTimestamp, type Frame } from "../core/frame.ts";
import { readCsvFile } from "../core/source/csv_reader.ts";
import { peakRssSinceResetMb, resetPeakRss, rssMb } from "./_memory.ts";
import { loadPipeline } from "../core/pipeline/load.ts";
import { fitModel, type StageTimings } from "../core/engine/fit.ts";
import { createScorer } from "../core/engine/score.ts";
import type { StreamState } from "../core/engine/types.ts";
import type { Episode, ScoredChunk } from "../core/plugin.ts";

/** Marker of the result line on stdout. */
export const RESULT_PREFIX = "BENCH_RESULT ";

const DEFAULT_PIPELINE = fileURLToPath(new URL("../pipelines/default.yaml", import.meta.url));

/**
 * Peak resident set size of this process in MB (getrusage ru_maxrss through
 * node:process; Deno lets only --allow-all read /proc/self/status), or null.
 */
export function peakRssMb(): number | null {
  try {
    return process.resourceUsage().maxRSS / 1024;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, all threads) this process has used so far; NaN when unavailable. */
export function cpuSeconds(): number {
  try {
    const u = process.resourceUsage();
    return (u.userCPUTime + u.systemCPUTime) / 1e6;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    args: Deno.args,
    options: {
      chunks: { type: "string" },
      out: { type: "string" },
      pipeline: { type: "string", default: DEFAULT_PIPELINE },
    },
  });
  if (!args.chunks || !args.out) throw new Error("Cannot run: --chunks and --out are required");
  const pipeline = await loadPipeline(args.pipeline!);
  const baselineRss = Deno.memoryUsage().rss / 2 ** 20;
  const files = [...Deno.readDirSync(args.chunks)]
    .filter((e) => e.isFile && e.name.endsWith(".csv"))
    .map((e) => `${args.chunks}/${e.name}`)
    .sort();
  if (files.length < 2) throw new Error(`Cannot run: fewer than 2 chunk CSVs in "${args.chunks}"`);

  const cpuStart = cpuSeconds();
  const tStart = performance.now();
  let t = performance.now();
  const frames: Frame[] = [];
  for (const f of files) frames.push((await readCsvFile(f)).frame);
  const parseS = (performance.now() - t) / 1000;
  // The engine's own peak: measured from here, with the parsed chunks in memory.
  const engineBaseline = resetPeakRss() ? rssMb() : null;

  // stage timings on the process CPU clock: robust to other work on a shared machine
  const clock = () => cpuSeconds() * 1000;
  t = performance.now();
  let cpu = cpuSeconds();
  const fitTimings: StageTimings = { seconds: {}, clock };
  const model = await fitModel(pipeline, frames[0], { timings: fitTimings });
  const trainS = (performance.now() - t) / 1000;
  const trainCpuS = cpuSeconds() - cpu;

  t = performance.now();
  cpu = cpuSeconds();
  const scoreTimings: StageTimings = { seconds: {}, clock };
  const scorer = await createScorer(pipeline, model, { timings: scoreTimings });
  let stream: StreamState | null = null;
  const scored: ScoredChunk[] = [];
  const episodes = new Map<number, Episode>();
  for (let k = 1; k < frames.length; k++) {
    const meta = { asset: "BENCH", chunk: `chunk_${k + 1}`, modelVersion: 1 };
    const r = await scorer.score(frames[k], stream, meta);
    stream = r.stream;
    scored.push(r.chunk);
    for (const e of r.chunk.episodes) episodes.set(e.id, e);
  }
  const scoreS = (performance.now() - t) / 1000;
  const scoreCpuS = cpuSeconds() - cpu;
  const enginePeak = engineBaseline === null ? null : peakRssSinceResetMb();

  // Writing the outputs is not scoring (the peer times it apart as well).
  const lines = ["timestamp,fused,alarm\n"];
  let scoredRows = 0;
  for (const c of scored) {
    for (let i = 0; i < c.fused.length; i++) {
      lines.push(`${formatTimestamp(c.timestamps[i])},${c.fused[i].toFixed(6)},${c.alarm[i]}\n`);
    }
    scoredRows += c.fused.length;
  }

  await Deno.mkdir(args.out, { recursive: true });
  await Deno.writeTextFile(`${args.out}/scores.csv`, lines.join(""));
  const eps = [...episodes.values()].sort((a, b) => a.start - b.start);
  await Deno.writeTextFile(
    `${args.out}/episodes.csv`,
    "start,end,peak_z\n" +
      eps.map((e) => `${formatTimestamp(e.start)},${formatTimestamp(e.end)},${e.peak_z}\n`).join(
        "",
      ),
  );
  const totalS = (performance.now() - tStart) / 1000;
  const cpuS = cpuSeconds() - cpuStart;

  const peak = peakRssMb();
  const result = {
    parse_s: parseS,
    train_s: trainS,
    score_s: scoreS,
    total_s: totalS,
    cpu_s: cpuS,
    rows: frames.reduce((s, f) => s + f.rows, 0),
    train_rows: frames[0].rows,
    scored_rows: scoredRows,
    sensors: frames[0].columns.length,
    healthy_sensors: model.sensors.length,
    episodes: eps.length,
    train_cpu_s: trainCpuS,
    score_cpu_s: scoreCpuS,
    fit_timings: fitTimings.seconds,
    score_timings: scoreTimings.seconds,
    metrics: model.metrics,
    baseline_rss_mb: baselineRss,
    peak_rss_mb: peak,
    engine_baseline_rss_mb: engineBaseline,
    engine_peak_rss_mb: enginePeak,
    raw_mb: (frames[0].rows * frames[0].columns.length * 8) / 1e6,
  };
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

if (import.meta.main) await main();
