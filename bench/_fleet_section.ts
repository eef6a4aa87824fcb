/**
 * The bench's "fleet" section (issue 14): the fleet of bench/_fleet.ts replayed
 * through `replay()` (the path `acm replay` takes: Workers, every sink, model
 * store, checkpoints, ledger) with pipelines/default.yaml, and for reference
 * with pipelines/acm_v8.yaml, against the Python peers on the same chunk files:
 * bench/peer/condition_peer.py (the default's method in numpy/scipy) and
 * bench/peer/acm_peer.py (the V8 method in pandas/scikit-learn), one peer process
 * per asset, as many at a time as replay has workers. Every program is measured
 * from outside by bench/_rusage.py (wall, CPU of all threads, largest peak RSS).
 */
import { type FleetSpec, writeFleet, type WrittenFleet } from "./_fleet.ts";
import { RESULT_PREFIX } from "./_child.ts";
import type { FleetChildResult } from "./_fleet_child.ts";
import { PYTHON, REPO } from "./_spawn.ts";
import { fix, int, mdTable, pct, times } from "./_table.ts";

/** One program's measured run (wall and CPU seconds, MB). */
export interface FleetRun {
  program: string;
  /** A Python peer (not acm). */
  peer?: boolean;
  /** The acm program a peer is divided by (the same method, at the same worker count). */
  against?: string;
  /** An acm run that only serves as a peer's baseline: no stage table. */
  baselineOnly?: boolean;
  workers: number;
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
  rows: number;
  /** Ours: replay's stage seconds; peers: parse/train/score/write summed over assets. */
  stages: Record<string, number>;
  /** Ours: process CPU seconds of the same stages (engine sub-stages: CPU only). */
  stageCpu?: Record<string, number>;
  /** Ours: seconds from replay start to each asset's first chunk. */
  startup?: number[];
  error?: string;
}

interface Measured {
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
  results: { code: number; stdout: string; stderr: string }[];
}

async function measure(parallel: number, commands: string[][]): Promise<Measured> {
  const r = await new Deno.Command(PYTHON, {
    args: [`${REPO}/bench/_rusage.py`, String(parallel), JSON.stringify(commands)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout).trim();
  if (!r.success) {
    throw new Error(
      `Cannot measure: bench/_rusage.py exited with code ${r.code}: ${
        new TextDecoder().decode(r.stderr).slice(-500)
      }`,
    );
  }
  return JSON.parse(out.split("\n").at(-1)!) as Measured;
}

const failure = (m: Measured) => {
  const bad = m.results.find((r) => r.code !== 0);
  return bad ? `exit code ${bad.code}: ${bad.stderr.trim().split("\n").slice(-3).join(" | ")}` : "";
};

/** Replays the fleet with `pipeline` and `workers` in a child `deno run`. */
async function runOurs(
  fleet: WrittenFleet,
  out: string,
  pipeline: string,
  label: string,
  workers: number,
  overrides: readonly string[] = [],
): Promise<FleetRun> {
  const cmd = [
    Deno.execPath(),
    "run",
    "--quiet",
    `--config=${REPO}/deno.json`,
    "--allow-all",
    `${REPO}/bench/_fleet_child.ts`,
    "--chunks",
    fleet.root,
    "--artifacts",
    `${out}/artifacts_${label}_w${workers}`,
    "--pipeline",
    pipeline,
    "--workers",
    String(workers),
    ...overrides.flatMap((o) => ["--set", o]),
  ];
  const m = await measure(1, [cmd]);
  const line = m.results[0].stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  const run = measuredRun(label, workers, m);
  if (!line) return { ...run, error: failure(m) || "no result line" };
  const r = JSON.parse(line.slice(RESULT_PREFIX.length)) as FleetChildResult;
  return {
    ...run,
    rows: r.rows,
    stages: r.stages,
    stageCpu: r.cpu,
    startup: r.startup,
    ...(r.failed ? { error: `${r.failed} asset(s) failed` } : {}),
  };
}

/** A run's outside measurements, before its own rows and stages are read. */
function measuredRun(
  label: string,
  workers: number,
  m: { wall_s: number; cpu_s: number; peak_rss_mb: number },
): FleetRun {
  return {
    program: label,
    workers,
    wall_s: m.wall_s,
    cpu_s: m.cpu_s,
    peak_rss_mb: m.peak_rss_mb,
    rows: 0,
    stages: {},
  };
}

/** Runs a peer script once per asset, `workers` processes at a time. */
async function runPeer(
  fleet: WrittenFleet,
  out: string,
  script: string,
  label: string,
  workers: number,
): Promise<FleetRun> {
  // BLAS/OpenMP threads: the CPUs per concurrent process (acm's workers share them too).
  const threads = Math.max(1, Math.floor(navigator.hardwareConcurrency / workers));
  const cmds = fleet.assets.map((a) => [
    PYTHON,
    `${REPO}/bench/peer/${script}`,
    "--chunks",
    `${fleet.root}/${a.name}`,
    "--out",
    `${out}/${label}_w${workers}/${a.name}`,
    "--threads",
    String(threads),
  ]);
  const m = await measure(workers, cmds);
  const run = measuredRun(label, workers, m);
  const err = failure(m);
  if (err) return { ...run, error: err };
  for (const r of m.results) {
    const j = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    run.rows += j.rows;
    for (const k of ["parse_s", "train_s", "score_s", "write_s"]) {
      if (typeof j[k] === "number") {
        run.stages[k.slice(0, -2)] = (run.stages[k.slice(0, -2)] ?? 0) + j[k];
      }
    }
  }
  return run;
}

/**
 * The default pipeline writing what the numpy peer writes: the csv sink alone with scores.csv,
 * episodes.csv and their small JSON companions (no expected.csv), no SQLite store and no HTML
 * report. The analytics are the same (both fit operating regimes; bench/peer/README.md).
 */
export const PEER_OUTPUTS = ["sinks=[{id: csv, plugin: csv, write_expected: false}]"];

/** What the section measured. */
export interface FleetSection {
  fleet: Omit<WrittenFleet, "root">;
  runs: FleetRun[];
  peerSkipped: string | null;
}

/** Generates the fleet, then measures ours and the peers at each worker count. */
export async function benchFleet(
  out: string,
  spec: FleetSpec,
  workerCounts: readonly number[],
  peerSkip: string | null,
  progress: (s: string) => void,
): Promise<FleetSection> {
  const fleet = await writeFleet(`${out}/chunks`, spec);
  const runs: FleetRun[] = [];
  const lean = "acm (default, peer's outputs)", v8 = "acm (acm_v8)";
  type Program = Pick<FleetRun, "program" | "peer" | "against" | "baselineOnly"> & {
    run: (w: number) => Promise<FleetRun>;
  };
  const programs: Program[] = [
    {
      program: "acm (default)",
      run: (w) => runOurs(fleet, out, `${REPO}/pipelines/default.yaml`, "default", w),
    },
    {
      program: lean,
      baselineOnly: true,
      run: (w) =>
        runOurs(fleet, out, `${REPO}/pipelines/default.yaml`, "default_lean", w, PEER_OUTPUTS),
    },
    {
      program: "numpy peer (condition)",
      peer: true,
      against: lean,
      run: (w) => runPeer(fleet, out, "condition_peer.py", "condition_peer", w),
    },
    { program: v8, run: (w) => runOurs(fleet, out, `${REPO}/pipelines/acm_v8.yaml`, "v8", w) },
    {
      program: "pandas peer (V8)",
      peer: true,
      against: v8,
      run: (w) => runPeer(fleet, out, "acm_peer.py", "v8_peer", w),
    },
  ];
  for (const w of workerCounts) {
    for (const { run, ...role } of programs) {
      if (role.peer && peerSkip !== null) continue;
      progress(`… fleet: ${role.program}, ${w} worker(s)`);
      runs.push({ ...(await run(w)), ...role });
    }
  }
  const { root: _root, ...rest } = fleet;
  return { fleet: rest, runs, peerSkipped: peerSkip };
}

const mb = (x: number) => `${x.toFixed(0)} MB`;

/** Wall/CPU per program and worker count, with each peer's time over ours of the same method. */
export function fleetTable(s: FleetSection): string {
  const oursOf = (r: FleetRun) =>
    s.runs.find((o) => o.workers === r.workers && o.program === r.against);
  return mdTable(
    ["program", "workers", "wall s", "CPU s", "rows/s", "peak RSS", "÷ acm wall", "÷ acm CPU"],
    s.runs.map((r) => {
      const o = oursOf(r);
      const self = !o;
      return [
        r.error ? `${r.program} (failed: ${r.error})` : r.program,
        String(r.workers),
        fix(r.wall_s),
        fix(r.cpu_s),
        int(r.rows / r.wall_s),
        mb(r.peak_rss_mb),
        self ? "–" : times(r.wall_s / o!.wall_s),
        self ? "–" : times(r.cpu_s / o!.cpu_s),
      ];
    }),
  );
}

/**
 * Parallel efficiency of each program: T1 / (w · Tw), beside what the CPUs allow:
 * a program that keeps `c` cores busy with one worker (CPU1 / T1) can speed up at
 * most min(w, cpus) / c times on `cpus` CPUs if its CPU time stays the same, so
 * its efficiency is bounded by min(w, cpus) / (c · w).
 */
export function efficiencyTable(s: FleetSection, cpus: number): string {
  const rows: string[][] = [];
  for (const r of s.runs) {
    const one = s.runs.find((o) => o.program === r.program && o.workers === 1);
    if (!one || r.workers === 1) continue;
    const speedup = one.wall_s / r.wall_s;
    const busy = one.cpu_s / one.wall_s;
    const bound = Math.min(1, Math.min(r.workers, cpus) / (busy * r.workers));
    rows.push([
      r.program,
      String(r.workers),
      times(speedup),
      pct(speedup / r.workers),
      fix(busy),
      pct(bound),
    ]);
  }
  return rows.length
    ? mdTable(
      ["program", "workers", "speed-up", "efficiency", "cores busy at 1 worker", "CPU bound"],
      rows,
    )
    : "";
}

/**
 * Stages of one of our runs, summed over chunks and assets: wall seconds and process
 * CPU seconds (with one Worker the stages run one after another, so a stage's CPU is
 * its own); the engine's sub-stages (indented) are CPU only. Share = of the CPU total.
 */
export function stageTable(r: FleetRun): string {
  const cpu = r.stageCpu ?? {};
  const nested = (k: string) => k.slice(k.indexOf("/") + 1).includes("/");
  const keys = [...new Set([...Object.keys(r.stages), ...Object.keys(cpu)])];
  const top = keys.filter((k) => !nested(k)).sort((a, b) =>
    (cpu[b] ?? r.stages[b]) - (cpu[a] ?? r.stages[a])
  );
  const total = top.reduce((a, k) => a + (cpu[k] ?? 0), 0);
  const rows: string[][] = [];
  for (const k of top) {
    if ((r.stages[k] ?? 0) < 0.005 && (cpu[k] ?? 0) < 0.005) continue;
    rows.push([k, fix(r.stages[k]), fix(cpu[k]), total > 0 ? pct((cpu[k] ?? 0) / total) : "–"]);
    const inner = keys.filter((c) => nested(c) && c.startsWith(`${k}/`) && (cpu[c] ?? 0) >= 0.005);
    for (const c of inner.sort((a, b) => cpu[b] - cpu[a])) {
      rows.push([`  ${c.slice(k.length)}`, "", fix(cpu[c]), ""]);
    }
  }
  if (r.startup?.length) {
    rows.push([
      "Worker start-up to first chunk, per asset (1st: from replay start)",
      r.startup.map((x) => fix(x)).join(" / "),
      "",
      "",
    ]);
  }
  return mdTable(["stage", "wall s", "CPU s", "CPU share"], rows);
}

/** Peer stage seconds (summed over the asset processes). */
export function peerStageTable(runs: readonly FleetRun[]): string {
  const peers = runs.filter((r) => r.peer && !r.error && r.workers === 1);
  if (!peers.length) return "";
  const keys = ["parse", "train", "score", "write"];
  return mdTable(
    ["peer (1 process at a time)", ...keys.map((k) => `${k} s`)],
    peers.map((r) => [r.program, ...keys.map((k) => fix(r.stages[k]))]),
  );
}
