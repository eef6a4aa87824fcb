/**
 * Issue-3 performance check through the real engine: fitModel() and
 * createScorer().score() of pipelines/default.yaml on a synthetic 50,000-row ×
 * 50-sensor chunk (core/synth/fleet.ts; the scoring chunk is the next 50,000 rows,
 * with injected faults). Prints CPU seconds (user + system, so other jobs on the machine do not
 * inflate them) per stage and head, min over `--repeat` runs, the totals (CPU and
 * wall) and the engine's peak RSS above the RSS with both chunks loaded (first run,
 * and over all runs).
 *
 *   deno run -A bench/engine_50k.ts [--rows 50000] [--sensors 50] [--repeat 3]
 *                                   [--set key=value ...] [--pipeline FILE]
 *
 * Budget (issue 14, on the default pipeline): train ≤ 2 s, score ≤ 0.5 s, memory ≤ 10× the
 * chunk's raw Float64 size (issue 3 had 5 s and 1 s). The head's "cross-fit s" column is its
 * training scores (trainscore:<id> without engine cross-fit); "calibration" excludes them.
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { type Frame, sliceRows } from "../core/frame.ts";
import { generateFleet } from "../core/synth/fleet.ts";
import { loadPipeline } from "../core/pipeline/load.ts";
import { fitModel } from "../core/engine/fit.ts";
import { createScorer } from "../core/engine/score.ts";
import type { FittedModel } from "../core/engine/types.ts";
import { peakRssSinceResetMb, resetPeakRss, rssMb } from "./_memory.ts";

const REPO = new URL("..", import.meta.url).pathname;
const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    rows: { type: "string", default: "50000" },
    sensors: { type: "string", default: "50" },
    repeat: { type: "string", default: "3" },
    pipeline: { type: "string", default: `${REPO}pipelines/default.yaml` },
    set: { type: "string", multiple: true, default: [] },
  },
});
/** Process CPU time (user + system) in ms: other jobs on the machine do not inflate it. */
function clock(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const rows = Number(args.rows), sensors = Number(args.sensors), repeat = Number(args.repeat);

function dataset(): { train: Frame; test: Frame } {
  const cadenceS = 60, day = 86_400;
  const fleet = generateFleet({
    seed: 11,
    assets: [{ name: "BENCH_FAN", type: "fan" }],
    sensors,
    days: ((2 * rows + 0.5) * cadenceS) / day,
    cadenceS,
    trainDays: (rows * cadenceS) / day,
    faultsPerAsset: 2,
  });
  const f = fleet.assets[0].frame;
  return { train: sliceRows(f, 0, rows), test: sliceRows(f, rows, 2 * rows) };
}

const t0 = performance.now();
const { train, test } = dataset();
const genS = (performance.now() - t0) / 1000;
const rawMb = (rows * train.columns.length * 8) / 2 ** 20;
const pipeline = await loadPipeline(args.pipeline!, { overrides: args.set });
// The engine's peak alone: from here, with both chunks in memory (VmHWM reset).
const canReset = resetPeakRss();
const baselineRss = rssMb();
const peakAfterRun: number[] = [];

const fitRuns: Record<string, number>[] = [], scoreRuns: Record<string, number>[] = [];
const fitTotal: number[] = [], scoreTotal: number[] = [];
let model: FittedModel | null = null;
let episodes = 0, alarmRows = 0;
const fitWall: number[] = [], scoreWall: number[] = [];
for (let r = 0; r < repeat; r++) {
  const ft: Record<string, number> = {};
  let t = clock(), w = performance.now();
  model = await fitModel(pipeline, train, { timings: { seconds: ft, clock } });
  fitTotal.push((clock() - t) / 1000);
  fitWall.push((performance.now() - w) / 1000);
  fitRuns.push(ft);
  const st: Record<string, number> = {};
  const scorer = await createScorer(pipeline, model, { timings: { seconds: st, clock } });
  t = clock();
  w = performance.now();
  const { chunk } = await scorer.score(test, null, {
    asset: "BENCH_FAN",
    chunk: "b2",
    modelVersion: 1,
  });
  scoreTotal.push((clock() - t) / 1000);
  scoreWall.push((performance.now() - w) / 1000);
  scoreRuns.push(st);
  episodes = chunk.episodes.length;
  alarmRows = chunk.alarm.reduce((s, a) => s + a, 0);
  peakAfterRun.push(peakRssSinceResetMb() ?? NaN);
}

function minOf(runs: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const run of runs) {
    for (const [k, v] of Object.entries(run)) out[k] = Math.min(out[k] ?? Infinity, v);
  }
  return out;
}
const f = minOf(fitRuns), s = minOf(scoreRuns);

// One row per stage: detector nodes line up fit | cross-fit | score.
const detectorIds = pipeline.detectors.map((d) => d.id);
const lines: string[][] = [["stage", "fit s", "cross-fit s", "score s"]];
const fmt = (x: number | undefined) => (x === undefined ? "" : x.toFixed(3));
lines.push(["select / gate", fmt(f.gate), "", fmt(s.select)]);
for (const node of pipeline.features) {
  lines.push([
    `feature ${node.id}`,
    fmt(f[`feature:${node.id}`]),
    "",
    fmt(s[`feature:${node.id}`]),
  ]);
}
for (const id of detectorIds) {
  lines.push([
    `head ${id}`,
    fmt(f[`fit:${id}`]),
    fmt(f[`crossfit:${id}`] ?? f[`trainscore:${id}`]),
    fmt(s[`score:${id}`]),
  ]);
}
lines.push(["regimes", fmt(f.regimes), "", fmt(s.regimes)]);
lines.push(["calibration", fmt(f["calibrate+ranges"]), "", fmt(s.calibrate)]);
lines.push(["fusion", "", "", fmt(s.fusion)]);
lines.push(["episodes + attribution", "", "", fmt(s.episodes)]);
lines.push(["health + chunk", "", "", fmt(s.health)]);
lines.push([
  "TOTAL (CPU s, min)",
  Math.min(...fitTotal).toFixed(3),
  "",
  Math.min(...scoreTotal).toFixed(3),
]);
const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
const row = (l: string[]) =>
  `| ${l.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join(" | ")} |`;
console.log(
  `engine_50k: ${rows} rows × ${train.columns.length} sensors (raw ${rawMb.toFixed(1)} MB), ` +
    `pipeline ${args.pipeline!.replace(REPO, "")}${
      args.set!.length ? ` --set ${args.set!.join(" ")}` : ""
    }, ` +
    `cross_fit_folds ${pipeline.stages.calibration.cross_fit_folds}, min of ${repeat} run(s)`,
);
console.log(
  `data generation ${
    genS.toFixed(2)
  } s; scoring chunk: ${episodes} episode(s), ${alarmRows} alarm rows`,
);
console.log(row(lines[0]));
console.log(
  `|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`,
);
for (const l of lines.slice(1)) console.log(row(l));
const above = peakAfterRun.map((p) => p - (baselineRss ?? NaN));
console.log(
  canReset
    ? `peak RSS of fit + score above the RSS with the chunks loaded (${
      baselineRss?.toFixed(0)
    } MB): first run ${above[0].toFixed(0)} MB, all ${repeat} runs ${
      above[above.length - 1].toFixed(0)
    } MB (budget 10 × raw = ${(10 * rawMb).toFixed(0)} MB)`
    : "peak RSS: not measurable here (needs /proc/self/clear_refs)",
);
console.log(
  `fit runs CPU s: ${fitTotal.map((x) => x.toFixed(2)).join(", ")} (wall ${
    fitWall.map((x) => x.toFixed(2)).join(", ")
  }); score runs CPU s: ${scoreTotal.map((x) => x.toFixed(3)).join(", ")} (wall ${
    scoreWall.map((x) => x.toFixed(3)).join(", ")
  })`,
);
