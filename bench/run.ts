/**
 * `deno task bench`: performance of the default pipeline on a synthetic fleet at the
 * batch-processing guide's profiles, side by side with a Python (pandas/scikit-learn)
 * peer of the same method. Not a test: prints markdown tables, never fails on time.
 *
 *   deno task bench [--quick] [--profile NAME] [--section|--only profiles,growth,check,workers,queue,fleet]
 *                   [--workers 1,2,4] [--skip-peer] [--results FILE] [--out DIR]
 *
 * Sections: profiles (bootstrap + 3 scoring chunks each, every run in a child process
 * so its peak RSS is its own), cost growth (1×/2×/4× rows and sensors), the issue-3
 * check (50,000 × 50 chunk: train ≤ 5 s, score ≤ 1 s, memory ≤ 10× raw) and replay
 * throughput with 1/2/4 workers, and the fleet replay of issue 14 (4 assets, 9–40 sensors,
 * 8 chunks each) against the numpy and pandas peers, per stage, at each `--workers` count.
 * Chunks and outputs go to bench/out/ (gitignored).
 */
import { parseArgs } from "node:util";
import type { ChunkSpec } from "./_gen.ts";
import { machineInfo } from "./_machine.ts";
import { peerUnavailable, REPO } from "./_spawn.ts";
import {
  checkTables,
  growthTable,
  peerTable,
  type ProfileRun,
  runGrowth,
  runProfile,
  throughputTable,
} from "./_sections.ts";
import { measureWorkers, type ReplayFleetSpec, writeReplayFleet } from "./_replay_workers.ts";
import { fix, int, mdTable, times } from "./_table.ts";
import { ISSUE_FLEET, QUICK_FLEET } from "./_fleet.ts";
import {
  benchFleet,
  efficiencyTable,
  fleetTable,
  peerStageTable,
  stageTable,
} from "./_fleet_section.ts";

/** The guide's profiles: sensors × rows per chunk at a cadence, one asset type each. */
export const PROFILES: Record<string, ChunkSpec> = {
  small: { sensors: 15, rows: 10_080, scoringChunks: 3, cadenceS: 60, type: "pump" },
  medium: { sensors: 50, rows: 7_200, scoringChunks: 3, cadenceS: 60, type: "fan" },
  large: { sensors: 100, rows: 4_320, scoringChunks: 3, cadenceS: 60, type: "turbine" },
  "high-frequency": { sensors: 30, rows: 17_280, scoringChunks: 3, cadenceS: 10, type: "pump" },
};
const SECTIONS = ["profiles", "growth", "check", "workers", "queue", "fleet"];

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    profile: { type: "string" },
    only: { type: "string" },
    section: { type: "string" },
    workers: { type: "string" },
    "skip-peer": { type: "boolean", default: false },
    results: { type: "string", default: `${REPO}/bench/results.json` },
    out: { type: "string", default: `${REPO}/bench/out` },
  },
});
const quick = args.quick!;
const picked = args.section ?? args.only;
const only = picked ? picked.split(",").map((s) => s.trim()) : SECTIONS;
const workerList = args.workers?.split(",").map((s) => Number(s.trim()));
if (workerList?.some((w) => !Number.isInteger(w) || w < 1)) {
  throw new Error(`Cannot run: --workers "${args.workers}" is not a list of positive integers`);
}
for (const s of only) {
  if (!SECTIONS.includes(s)) {
    throw new Error(`Cannot run: unknown section "${s}" (sections: ${SECTIONS.join(", ")})`);
  }
}
if (args.profile && !PROFILES[args.profile]) {
  throw new Error(
    `Cannot run: unknown profile "${args.profile}" (profiles: ${Object.keys(PROFILES).join(", ")})`,
  );
}
const out = args.out!;
await Deno.mkdir(out, { recursive: true });

const machine = await machineInfo();
const peerSkip = args["skip-peer"] ? "--skip-peer given" : await peerUnavailable();
const started = new Date().toISOString();
const results: Record<string, unknown> = { date: started, quick, machine, peer_skipped: peerSkip };
const say = (s = "") => console.log(s);

say(`# acm bench${quick ? " (--quick: small sizes, smoke run only)" : ""}`);
say();
say(
  `machine: ${machine.nproc} CPUs, ${machine.cpuModel}, ${machine.memoryGb ?? "?"} GB RAM, ` +
    `load average ${machine.loadAverage ?? "?"} at start; Deno ${machine.deno}; ${
      machine.python ?? "no python"
    }`,
);
if (peerSkip) say(`peer skipped: ${peerSkip}`);

if (only.includes("profiles")) {
  const names = args.profile ? [args.profile] : quick ? ["small"] : Object.keys(PROFILES);
  const runs: ProfileRun[] = [];
  for (const name of names) {
    const spec = quick ? { ...PROFILES[name], sensors: 10, rows: 600 } : PROFILES[name];
    console.error(
      `… profile ${name}: ${spec.sensors} sensors × ${spec.rows} rows × ${
        1 + spec.scoringChunks
      } chunks`,
    );
    const run = await runProfile(`${out}/profiles`, name, spec, peerSkip);
    if (run.peerError) say(`peer failed on ${name}: ${run.peerError}`);
    runs.push(run);
  }
  say("\n## Throughput per profile (bootstrap chunk + 3 scoring chunks)\n");
  say(throughputTable(runs));
  if (runs.some((r) => r.peer)) {
    say("\n## Side by side with the Python peer (pandas + scikit-learn, same chunk files)\n");
    say(peerTable(runs));
  }
  results.profiles = runs;
}

if (only.includes("growth")) {
  const base = quick ? { sensors: 6, rows: 400 } : { sensors: 20, rows: 4_000 };
  console.error(`… cost growth from ${base.sensors} sensors × ${base.rows} rows`);
  const runs = await runGrowth(`${out}/growth`, base);
  say(
    "\n## Cost growth (bootstrap + 1 scoring chunk of the same size; linear growth = the factor)\n",
  );
  say(growthTable(runs));
  results.growth = runs.map((r) => ({ ...r, ours: { ...r.ours, metrics: undefined } }));
}

if (only.includes("check")) {
  const spec: ChunkSpec = quick
    ? { sensors: 20, rows: 2_000, scoringChunks: 1, cadenceS: 60, type: "fan" }
    : { sensors: 50, rows: 50_000, scoringChunks: 1, cadenceS: 60, type: "fan" };
  console.error(`… issue-3 check: ${spec.sensors} sensors × ${spec.rows} rows`);
  const run = await runProfile(`${out}/check`, "check", spec, peerSkip);
  say(`\n## Issue-3 check: one ${int(spec.rows)}-row × ${spec.sensors}-sensor chunk\n`);
  say(checkTables(run, { trainS: 5, scoreS: 1 }));
  results.check = run;
}

if (only.includes("workers")) {
  const fleet: ReplayFleetSpec = quick
    ? { assets: 2, days: 3, cadenceS: 1800, firstChunkDays: 2, chunkDays: 1 }
    : { assets: 4, days: 14, cadenceS: 300, firstChunkDays: 7, chunkDays: 2 };
  const counts = workerList ?? (quick ? [1, 2] : [1, 2, 4]);
  console.error(`… replay with ${counts.join("/")} workers on ${fleet.assets} assets`);
  const chunkRoot = await writeReplayFleet(`${out}/replay`, fleet);
  const { runs, skipped } = await measureWorkers(
    `${out}/replay`,
    chunkRoot,
    `${REPO}/pipelines/default.yaml`,
    counts,
  );
  say(
    `\n## Replay throughput with a worker pool (demo fleet: ${fleet.assets} assets × ${fleet.days} days at ` +
      `${
        fleet.cadenceS / 60
      } min, ${fleet.firstChunkDays}-day first chunk + ${fleet.chunkDays}-day chunks)\n`,
  );
  if (skipped) say(`replay skipped: ${skipped}`);
  else {
    const one = runs[0];
    say(mdTable(
      ["workers", "seconds", "rows", "chunks", "rows/s", "assets/s", "speed-up", "failed assets"],
      runs.map((r) => [
        String(r.workers),
        fix(r.seconds),
        int(r.rows),
        String(r.chunks),
        int(r.rowsPerS),
        fix(r.assetsPerS, 3),
        times(one.seconds / r.seconds),
        String(r.failed),
      ]),
    ));
  }
  results.workers = { fleet, runs, skipped };
}

if (only.includes("queue")) {
  say("\n## Distributed replay on PostgreSQL (pg-boss workers)\n");
  const { benchQueue } = await import("./_queue.ts");
  const q = await benchQueue(say, { assets: quick ? 12 : 50, workers: [1, 2, 4] });
  if (q) {
    say(`${q.assets} assets × 2 chunks (6 days at 5 min), one \`acm worker\` process each:\n`);
    say(mdTable(
      ["worker processes", "chunks", "seconds", "chunks/s"],
      q.runs.map((r) => [String(r.workers), String(r.chunks), fix(r.seconds), fix(r.chunksPerS)]),
    ));
    say(`\npg-boss send + fetch + complete: ${fix(q.bossMsPerJob)} ms per job`);
    say(`COPY into acm.scores: ${int(q.copyRowsPerS)} rows/s (one 50,000-row chunk)`);
  }
  results.queue = q;
}

if (only.includes("fleet")) {
  const spec = quick ? QUICK_FLEET : ISSUE_FLEET;
  const counts = workerList ?? [1, 2];
  const f = await benchFleet(`${out}/fleet`, spec, counts, peerSkip, (s) => console.error(s));
  const sensors = f.fleet.assets.map((a) => a.sensors).join("/");
  say(
    `\n## Fleet replay (issue 14): ${f.fleet.assets.length} assets × ${
      int(f.fleet.assets[0].rows)
    } rows (${sensors} sensors, ${spec.cadenceS / 60}-min data), ${f.fleet.chunks} chunks, ${
      int(f.fleet.rows)
    } rows, ${fix(f.fleet.bytes / 1e6, 0)} MB of CSV\n`,
  );
  say(
    "Each program measured from outside (bench/_rusage.py): wall, CPU of all threads, the largest " +
      "process's peak RSS. acm = `replay()` with every sink of the pipeline (csv, SQLite store, HTML " +
      'report); "peer\'s outputs" = the same pipeline with the csv sink alone and no expected.csv ' +
      "(scores.csv with head z, health and regime columns, episodes.csv, small JSON companions); peers = one process per asset (as many at a time as workers), " +
      "scores.csv + episodes.csv only. ÷ acm = peer over acm running the same method with the " +
      "peer's outputs (condition) or every sink (V8) (> 1: acm faster).\n",
  );
  say(fleetTable(f));
  const eff = efficiencyTable(f, machine.nproc);
  if (eff) {
    say(
      `\nParallel efficiency (T1 / (w · Tw), ${machine.nproc} CPUs; "CPU bound" = the most the ` +
        `CPUs allow at the same CPU time, min(w, CPUs) / (cores busy at 1 worker · w)):\n\n${eff}`,
    );
  }
  for (const r of f.runs.filter((r) => r.workers === 1 && !r.peer && !r.baselineOnly)) {
    say(`\nStages of ${r.program}, 1 worker (summed over chunks and assets):\n`);
    say(stageTable(r));
  }
  const ps = peerStageTable(f.runs);
  if (ps) say(`\nPeer stages (seconds summed over the asset processes):\n\n${ps}`);
  results.fleet = f;
}

results.finished = new Date().toISOString();
const loadEnd = (() => {
  try {
    return Math.round(Deno.loadavg()[0] * 100) / 100;
  } catch {
    return null;
  }
})();
results.load_average_end = loadEnd;
say(
  `\nload average at the end: ${
    loadEnd ?? "?"
  } (${machine.nproc} CPUs; other work on the machine inflates wall times)`,
);
await Deno.writeTextFile(args.results!, JSON.stringify(results, null, 2) + "\n");
say(`\nresults written to ${args.results}`);
