/**
 * Accuracy of a pipeline (default: pipelines/default.yaml) on the synthetic demo
 * fleet (injected faults with ground truth) and on the real ACM sample data
 * (FD_FAN and GAS_TURBINE chunk replays, cond-pump training → fault set). Runs
 * in-process with fitModel/createScorer exactly as replay does (first chunk fits,
 * every chunk is scored in order with the stream state carried) and prints:
 * faults found, delay, culprit hit and false episodes for the demo; episodes,
 * hours in alarm, top culprits, episodes beginning at or spanning on/off changes and the
 * GAS_TURBINE Jan-2020 verdict for the real assets.
 *
 *   deno run -A bench/acm_accuracy.ts [--pipeline FILE] [--set key=value]...
 *     [--only demo,fd_fan,gas_turbine,cond_pump] [--data ../shared/acm_data] [--episodes]
 *
 * A benchmark: it prints, it never passes or fails.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { column, concatRows, type Frame, selectByName, sliceRows } from "../core/frame.ts";
import { loadPipeline } from "../core/pipeline/load.ts";
import type { Pipeline } from "../core/pipeline/types.ts";
import { fitModel } from "../core/engine/fit.ts";
import { createScorer } from "../core/engine/score.ts";
import type { FittedModel, StreamState } from "../core/engine/types.ts";
import type { Episode } from "../core/plugin.ts";
import { type CsvReadOptions, readCsvFile } from "../core/source/csv_reader.ts";
import { planChunks } from "../core/replay/split.ts";
import { generateFleet } from "../core/synth/fleet.ts";
import { type DetectedEpisode, type FaultReport, matchFaults } from "../core/synth/match_faults.ts";
import { lowerBound } from "../core/numeric/lower_bound.ts";
import { fix, mdTable } from "./_table.ts";
import { countOutside, outsideTraining } from "../core/report/outside_training.ts";

const HOUR = 3_600_000;

/** The project's default pipeline file. */
export const DEFAULT_PIPELINE = fileURLToPath(
  new URL("../pipelines/default.yaml", import.meta.url),
);
/** The real sample data folder (tests and bench only; the product never needs it). */
export const ACM_DATA = "/work/shared/acm_data";

/** What one asset's replay produced. */
export interface AssetRun {
  asset: string;
  model: FittedModel;
  /** Final version of every episode (open ones are re-sent while they grow). */
  episodes: Episode[];
  /** All scored rows, in order. */
  timestamps: Float64Array;
  fused: Float64Array;
  /** Calibrated z per head, regime label and unseen flag per row. */
  heads: Record<string, Float64Array>;
  regime: Int32Array;
  unseen: Uint8Array;
  /** Raw (healthy) sensor values of every scored row, column-major. */
  raw: Frame;
  /** Rows of the first (training) chunk. */
  trainRows: number;
  trainEnd: number;
}

/** Fits on `chunks[0]` and scores every chunk in order, carrying the stream state (replay semantics). */
export async function runAssetStream(
  pipeline: Pipeline,
  asset: string,
  chunks: readonly Frame[],
): Promise<AssetRun> {
  const model = await fitModel(pipeline, chunks[0]);
  const scorer = await createScorer(pipeline, model);
  let stream: StreamState | null = null;
  const byId = new Map<number, Episode>();
  const ts: number[] = [], fused: number[] = [], regime: number[] = [], unseen: number[] = [];
  const heads: Record<string, number[]> = {};
  let raw: Frame | null = null;
  for (let k = 0; k < chunks.length; k++) {
    const { chunk, stream: next } = await scorer.score(chunks[k], stream, {
      asset,
      chunk: `chunk_${k + 1}`,
      modelVersion: 1,
    });
    stream = next;
    for (const e of chunk.episodes) byId.set(e.id, e);
    for (let i = 0; i < chunk.fused.length; i++) {
      ts.push(chunk.timestamps[i]);
      fused.push(chunk.fused[i]);
      regime.push(chunk.regime[i]);
      unseen.push(chunk.regimeUnseen[i]);
    }
    for (const [h, z] of Object.entries(chunk.heads)) (heads[h] ??= []).push(...z);
    raw = raw === null ? chunk.raw : concatRows(raw, chunk.raw);
  }
  const first = chunks[0];
  return {
    asset,
    model,
    episodes: [...byId.values()].sort((a, b) => a.start - b.start),
    timestamps: Float64Array.from(ts),
    fused: Float64Array.from(fused),
    heads: Object.fromEntries(Object.entries(heads).map(([h, z]) => [h, Float64Array.from(z)])),
    regime: Int32Array.from(regime),
    unseen: Uint8Array.from(unseen),
    raw: raw!,
    trainRows: first.rows,
    trainEnd: first.timestamps[first.rows - 1],
  };
}

/**
 * Reads one CSV with the csv source's defaults (month-first, auto timestamp
 * column), or with `pipeline`'s source options when given (e.g. resample_s).
 */
export async function readFrame(path: string, pipeline?: Pipeline): Promise<Frame> {
  const options = pipeline?.source.pluginName === "csv" ? pipeline.source.options : {};
  return (await readCsvFile(path, options as CsvReadOptions)).frame;
}

/** The chunk files of a chunked asset folder, in natural (numeric) order. */
export async function chunkFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".csv")) names.push(e.name);
  }
  const num = (s: string) => Number(/(\d+)\.csv$/.exec(s)?.[1] ?? 0);
  return names.sort((a, b) => num(a) - num(b) || a.localeCompare(b)).map((n) => `${dir}/${n}`);
}

/** True when the sample data is readable. */
export async function hasAcmData(root = ACM_DATA): Promise<boolean> {
  try {
    return (await Deno.stat(`${root}/chunked/GAS_TURBINE`)).isDirectory;
  } catch {
    return false;
  }
}

/** Episode as the fault matcher needs it. */
function detected(asset: string, e: Episode): DetectedEpisode {
  return {
    asset,
    id: e.id,
    start: e.start,
    end: e.end,
    peakZ: e.peak_z,
    culprits: [...e.culprits].sort((a, b) => b.pct - a.pct).map((c) => c.sensor),
  };
}

/** Top culprit sensors over episodes, weighted by episode duration. */
function topCulprits(episodes: readonly Episode[], n = 3): string {
  const w = new Map<string, number>();
  for (const e of episodes) {
    for (const c of e.culprits) {
      w.set(c.sensor, (w.get(c.sensor) ?? 0) + c.pct * Math.max(e.duration_s, 1));
    }
  }
  return [...w].sort((a, b) => b[1] - a[1]).slice(0, n).map(([s]) => short(s)).join(" ");
}

function short(sensor: string): string {
  return sensor.replace(/^DEMO\.SIM\./, "").replace(/_1FD Fan /, ":").slice(0, 24);
}

/** An on/off change: when, and whether the machine started (true) or stopped. */
export interface Change {
  t: number;
  on: boolean;
}

/** On/off changes from one sensor (on when > threshold), over frames in time order. */
export function changes(frames: readonly Frame[], sensor: string, threshold: number): Change[] {
  const out: Change[] = [];
  let prev: boolean | null = null;
  for (const frame of frames) {
    const j = frame.columns.indexOf(sensor);
    if (j < 0) continue;
    for (let i = 0; i < frame.rows; i++) {
      const v = frame.values[j * frame.rows + i];
      if (!Number.isFinite(v)) continue;
      const on = v > threshold;
      if (prev !== null && on !== prev) out.push({ t: frame.timestamps[i], on });
      prev = on;
    }
  }
  return out;
}

/**
 * "a/b/c/n": of the episodes, a start from 1 h before to 3 h after an on/off
 * change (what a start or stop misread as a fault looks like), b start while the
 * machine is stopped (after a stop, before the next start) and c span a change
 * anywhere (long episodes do); n changes in all.
 */
export function onOffColumn(episodes: readonly Episode[], at: readonly Change[]): string {
  const near =
    episodes.filter((e) => at.some((c) => e.start >= c.t - HOUR && e.start <= c.t + 3 * HOUR))
      .length;
  const stopped = episodes.filter((e) => {
    const k = lowerBound(at.map((c) => c.t), e.start + 1) - 1;
    return k >= 0 && !at[k].on;
  }).length;
  const spanning = episodes.filter((e) => at.some((c) => c.t >= e.start && c.t <= e.end)).length;
  return `${near}/${stopped}/${spanning}/${at.length}`;
}

function hours(episodes: readonly Episode[]): number {
  return episodes.reduce((s, e) => s + (e.end - e.start) / HOUR, 0);
}

/** One printed row for a real asset. */
export interface RealRow {
  asset: string;
  episodes: number;
  inTrain: number;
  hours: number;
  onOff: string;
  culprits: string;
  verdict: string;
}

/**
 * The report's "outside training" count (core/report/outside_training.ts) for a
 * run: "K of N (M)" — K episodes with a sensor beyond its training range on half
 * or more of their rows, M of them with none of their culprits outside.
 */
export function outsideColumn(run: AssetRun): string {
  const raw = run.raw;
  const values = Object.fromEntries(raw.columns.map((c, j) => [c, column(raw, j)]));
  const ranges = run.model.engine.trainRanges as unknown as Record<
    string,
    [number, number, number]
  >;
  const { any, others } = countOutside(run.episodes.map((e) => ({
    culprits: e.culprits,
    outside: outsideTraining({ t: raw.timestamps, values }, ranges, e.start, e.end),
  })));
  return `${any} of ${run.episodes.length} (${others})`;
}

// ---------------------------------------------------------------- demo fleet

/** Demo result: the fault report plus false alarms inside the training chunks. */
export interface DemoBench {
  report: FaultReport;
  falseInTrain: number;
  runs: AssetRun[];
}

/** The default demo fleet, split 7 days train + 2-day chunks (as `acm demo`), replayed with `pipeline`. */
export async function benchDemo(pipeline: Pipeline): Promise<DemoBench> {
  const fleet = generateFleet();
  const runs: AssetRun[] = [];
  for (const asset of fleet.assets) {
    const { ranges } = planChunks(asset.frame.timestamps, { firstChunkDays: 7, chunkDays: 2 });
    runs.push(
      await runAssetStream(
        pipeline,
        asset.name,
        ranges.map(([a, b]) => sliceRows(asset.frame, a, b)),
      ),
    );
  }
  const eps = runs.flatMap((r) => r.episodes.map((e) => detected(r.asset, e)));
  const report = matchFaults(fleet.faults, eps);
  const trainEnd = new Map(runs.map((r) => [r.asset, r.trainEnd]));
  const falseInTrain = report.falseAlarms.filter((e) => e.start <= trainEnd.get(e.asset)!).length;
  return { report, falseInTrain, runs };
}

// ---------------------------------------------------------------- real data

/** FD_FAN chunk replay; on/off from the motor current (off < 5 A). */
export async function benchFdFan(
  pipeline: Pipeline,
  root = ACM_DATA,
): Promise<{ run: AssetRun; row: RealRow }> {
  const files = await chunkFiles(`${root}/chunked/FD_FAN`);
  const chunks = await Promise.all(files.map((f) => readFrame(f, pipeline)));
  const run = await runAssetStream(pipeline, "FD_FAN", chunks);
  const current = chunks[0].columns.find((c) => /Motor Current/.test(c))!;
  const at = changes(chunks, current, 5);
  // The batch file starts with the fan off: its first rows (2012-12-31 → first start).
  const batchStart = Date.UTC(2012, 11, 31, 18);
  const firstOn = at.find((c) => c.t > batchStart)?.t ?? batchStart;
  const inOff = run.episodes.filter((e) => e.start < firstOn && e.end >= batchStart).length;
  return {
    run,
    row: {
      asset: "FD_FAN",
      episodes: run.episodes.length,
      inTrain: run.episodes.filter((e) => e.start <= run.trainEnd).length,
      hours: hours(run.episodes),
      onOff: onOffColumn(run.episodes, at),
      culprits: topCulprits(run.episodes),
      verdict: `batch fan-off start: ${inOff} episode(s)`,
    },
  };
}

/** GAS_TURBINE chunk replay; the Jan-2020 verdict names whether B1RADVIBX/Y lead the culprits. */
export async function benchGasTurbine(
  pipeline: Pipeline,
  root = ACM_DATA,
): Promise<{ run: AssetRun; row: RealRow; jan: Episode[] }> {
  const files = await chunkFiles(`${root}/chunked/GAS_TURBINE`);
  const chunks = await Promise.all(files.map((f) => readFrame(f, pipeline)));
  const run = await runAssetStream(pipeline, "GAS_TURBINE", chunks);
  const at = changes(chunks, "DWATT", 5);
  const jan = run.episodes.filter((e) => e.end >= Date.UTC(2020, 0, 1));
  const radial = jan.filter((e) =>
    e.culprits.slice(0, 3).some((c) => /^B1RADVIB[XY]$/.test(c.sensor))
  );
  const before = run.episodes.filter((e) => e.end < Date.UTC(2020, 0, 1));
  return {
    run,
    jan,
    row: {
      asset: "GAS_TURBINE",
      episodes: run.episodes.length,
      inTrain: run.episodes.filter((e) => e.start <= run.trainEnd).length,
      hours: hours(run.episodes),
      onOff: onOffColumn(run.episodes, at),
      culprits: topCulprits(run.episodes),
      verdict: `2019: ${before.length} ep ${fix(hours(before), 0)} h; Jan-2020: ${jan.length} ep ` +
        `${fix(hours(jan), 0)} h, ${radial.length} with B1RADVIBX/Y in top 3`,
    },
  };
}

/** Cond pump: train on the Training Set, score the Fault Set (one chunk); on/off from PWR1_POWER. */
export async function benchCondPump(
  pipeline: Pipeline,
  root = ACM_DATA,
): Promise<{ run: AssetRun; row: RealRow }> {
  const train = await readFrame(`${root}/Cond Pump Motor Training Set.csv`, pipeline);
  const faultFull = await readFrame(`${root}/Cond Pump Motor Fault Set.csv`, pipeline);
  const fault = selectByName(faultFull, train.columns.filter((c) => faultFull.columns.includes(c)));
  // Score the training set too (as its own first chunk) so alarms in training count.
  const run = await runAssetStream(pipeline, "COND_PUMP", [train, fault]);
  const power = train.columns.find((c) => /^PWR1/.test(c))!;
  const at = changes([train, fault], power, 1);
  const inFault = run.episodes.filter((e) => e.start > run.trainEnd);
  return {
    run,
    row: {
      asset: "COND_PUMP",
      episodes: run.episodes.length,
      inTrain: run.episodes.filter((e) => e.start <= run.trainEnd).length,
      hours: hours(run.episodes),
      onOff: onOffColumn(run.episodes, at),
      culprits: topCulprits(run.episodes),
      verdict: `fault set: ${inFault.length} ep ${fix(hours(inFault), 0)} h (${
        topCulprits(inFault)
      })`,
    },
  };
}

// ---------------------------------------------------------------- printing

function isoShort(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function episodeLines(run: AssetRun): string[] {
  return run.episodes.map((e) =>
    `    #${e.id} ${isoShort(e.start)} → ${isoShort(e.end)} ${
      fix((e.end - e.start) / HOUR, 1)
    } h ` +
    `peak ${fix(e.peak_z)} ${e.detector} r${e.regime} ` +
    e.culprits.map((c) => `${short(c.sensor)} ${c.pct.toFixed(0)}%`).join(", ")
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      pipeline: { type: "string", default: DEFAULT_PIPELINE },
      set: { type: "string", multiple: true, default: [] },
      only: { type: "string", default: "demo,fd_fan,gas_turbine,cond_pump" },
      data: { type: "string", default: ACM_DATA },
      episodes: { type: "boolean", default: false },
    },
  });
  const pipeline = await loadPipeline(values.pipeline!, { overrides: values.set });
  const only = new Set(values.only!.split(","));
  const detail: string[] = [];
  console.log(
    `pipeline ${values.pipeline}${
      values.set!.length ? " --set " + values.set!.join(" --set ") : ""
    }`,
  );
  if (only.has("demo")) {
    const t0 = performance.now();
    const d = await benchDemo(pipeline);
    const rows = d.report.matches.map((m) => [
      m.fault.asset,
      m.fault.kind,
      m.fault.sensors.map(short).join(" "),
      m.detected ? "yes" : "no",
      m.delayMs === null ? "–" : fix(m.delayMs / HOUR, 1),
      m.culpritHit ? "yes" : "no",
      m.culprits.slice(0, 3).map(short).join(" "),
    ]);
    console.log(
      `\ndemo fleet: ${d.report.found}/${d.report.total} faults found, ${d.report.culpritHits} culprit hits, ` +
        `${d.report.falseAlarms.length} false episodes (${d.falseInTrain} in training), ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(
      mdTable(["asset", "fault", "sensors", "found", "delay h", "culprit", "culprits"], rows),
    );
    for (const f of d.report.falseAlarms) {
      detail.push(
        `  false ${f.asset} #${f.id} ${isoShort(f.start)} → ${isoShort(f.end)} peak ${
          fix(f.peakZ)
        } ` +
          f.culprits.slice(0, 3).map(short).join(" "),
      );
    }
    if (values.episodes) {
      for (const r of d.runs) detail.push(`  ${r.asset}`, ...episodeLines(r));
    }
  }
  const real: (RealRow & { outside: string })[] = [];
  for (
    const [key, fn] of [
      ["fd_fan", benchFdFan],
      ["gas_turbine", benchGasTurbine],
      ["cond_pump", benchCondPump],
    ] as const
  ) {
    if (!only.has(key)) continue;
    const t0 = performance.now();
    const { run, row } = await fn(pipeline, values.data!);
    real.push({
      ...row,
      outside: outsideColumn(run),
      verdict: `${row.verdict} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    });
    if (values.episodes) detail.push(`  ${run.asset}`, ...episodeLines(run));
  }
  if (real.length) {
    console.log("\nreal assets (first chunk fits, all chunks scored):");
    console.log(
      "on/off: episodes that begin from 1 h before to 3 h after an on/off change / begin " +
        "while the machine is stopped / span a change; then the number of changes. Outside " +
        "training: episodes with a sensor beyond its training p01–p99 (± a quarter) on half " +
        "their rows or more, in brackets those with none of their culprits outside",
    );
    console.log(mdTable(
      [
        "asset",
        "episodes",
        "in train",
        "hours",
        "on/off: near/stopped/spanning/changes",
        "outside training (no culprit outside)",
        "top culprits",
        "verdict",
      ],
      real.map((r) => [
        r.asset,
        String(r.episodes),
        String(r.inTrain),
        fix(r.hours, 0),
        r.onOff,
        r.outside,
        r.culprits,
        r.verdict,
      ]),
    ));
  }
  if (detail.length) console.log("\n" + detail.join("\n"));
}

if (import.meta.main) await main();
