/**
 * `acm eval fleet`, the run: per seed, generate the labelled fleet
 * (core/synth/labelled_fleet.ts), write its chunks in a temporary folder in the
 * layout `acm split` produces (`<chunk-root>/<ASSET>/batch_NNN.csv`), replay them
 * through the normal replay (core/replay/replay.ts), read each asset's
 * episodes.csv and scores.csv back, and score them (fleet_score.ts), per seed
 * and pooled over the seeds.
 */
import { replay, type ReplayOptions } from "../replay/replay.ts";
import type { ReplaySummary } from "../replay/summary.ts";
import { parseCsv } from "../io/csv_text.ts";
import { generateLabelledFleet, type LabelledScenario } from "../synth/labelled_fleet.ts";
import { labelledTruth, writeLabelledChunks } from "../synth/labelled_chunks.ts";
import {
  type AssetAlarms,
  type FleetScore,
  type ScoredEpisode,
  scoreFleet,
  type TruthFault,
} from "./fleet_score.ts";

/** Seeds the defaults were tuned on; never report on them. */
export const TUNING_SEEDS: readonly number[] = [1, 2, 3];
/** Held-out seeds for reported numbers. */
export const HELD_OUT_SEEDS: readonly number[] = [101, 102, 103, 104, 105];
/** Default grace after a fault's end within which an episode still counts (1 h). */
export const DEFAULT_GRACE_MS = 3_600_000;

/** Settings of a fleet evaluation. */
export interface FleetEvalOptions {
  pipeline: string;
  overrides?: string[];
  seeds: readonly number[];
  graceMs?: number;
  /**
   * Generator scenario (default "standard"; "process_shift" adds whole-process faults;
   * "seasonal_drift" adds unlabelled slow change beyond training).
   */
  scenario?: LabelledScenario;
  maxWorkers?: number;
  /** Keep the generated chunks and artifacts under this folder (default: a temp folder, removed). */
  keepDir?: string;
  /** Replay implementation (default: the real one). */
  replay?: (options: ReplayOptions) => Promise<ReplaySummary>;
  /** Progress lines (default: none). */
  print?: (line: string) => void;
}

/** The outcome per seed and pooled. */
export interface FleetEvalResult {
  seeds: number[];
  graceMs: number;
  perSeed: Array<{ seed: number; score: FleetScore; seconds: number }>;
  pooled: FleetScore;
}

/** Epoch ms of a naive or `Z` ISO timestamp (naive read as UTC, like the frame). */
function parseIso(text: string): number {
  const t = text.trim().replace(" ", "T");
  return Date.parse(/Z$|[+-]\d\d:\d\d$/.test(t) ? t : `${t}Z`);
}

/** Reads an asset's episodes.csv (missing file → none). */
export async function readEpisodes(path: string, asset: string): Promise<ScoredEpisode[]> {
  const rows = await readTable(path);
  if (rows === null) return [];
  const [header, ...body] = rows;
  const [id, start, end, kind] = ["episode_id", "start", "end", "kind"].map((c) =>
    header.indexOf(c)
  );
  if (start < 0 || end < 0) throw new Error(`Cannot read episodes: "${path}" has no start/end`);
  return body.filter((r) => r.length > 1).map((r, k) => ({
    asset,
    id: id >= 0 ? Number(r[id]) : k + 1,
    start: parseIso(r[start]),
    end: parseIso(r[end]),
    kind: kind >= 0 ? r[kind] : "",
  }));
}

/** Reads timestamp and alarm of an asset's scores.csv. */
export async function readAlarms(
  path: string,
  asset: string,
  period: [number, number],
): Promise<AssetAlarms> {
  const rows = await readTable(path);
  if (rows === null) throw new Error(`Cannot score: "${path}" is missing (did the replay fail?)`);
  const [header, ...body] = rows;
  const [t, a] = ["timestamp", "alarm"].map((c) => header.indexOf(c));
  if (t < 0 || a < 0) throw new Error(`Cannot read scores: "${path}" has no timestamp/alarm`);
  const data = body.filter((r) => r.length > 1);
  const timestamps = new Float64Array(data.length), alarm = new Uint8Array(data.length);
  data.forEach((r, i) => {
    timestamps[i] = parseIso(r[t]);
    alarm[i] = r[a] === "1" ? 1 : 0;
  });
  return { asset, from: period[0], to: period[1], timestamps, alarm };
}

async function readTable(path: string): Promise<string[][] | null> {
  try {
    return parseCsv(await Deno.readTextFile(path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

/** Runs the evaluation (see the module comment). */
export async function runFleetEval(opts: FleetEvalOptions): Promise<FleetEvalResult> {
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const print = opts.print ?? (() => {});
  const perSeed: FleetEvalResult["perSeed"] = [];
  const all = {
    changes: [] as Array<{ asset: string; t: number }>,
    faults: [] as TruthFault[],
    episodes: [] as ScoredEpisode[],
    alarms: [] as AssetAlarms[],
  };
  for (const seed of opts.seeds) {
    const t0 = performance.now();
    const fleet = generateLabelledFleet({ seed, scenario: opts.scenario });
    const root = opts.keepDir !== undefined
      ? `${opts.keepDir}/seed_${seed}`
      : await Deno.makeTempDir({ prefix: `acm-eval-fleet-${seed}-` });
    try {
      if (opts.keepDir !== undefined) await Deno.remove(root, { recursive: true }).catch(() => {});
      const chunkRoot = `${root}/chunks`, artifactRoot = `${root}/artifacts`;
      await writeLabelledChunks(fleet, chunkRoot);
      await Deno.writeTextFile(`${root}/truth.json`, JSON.stringify(labelledTruth(fleet), null, 1));
      print(`seed ${seed}: ${fleet.assets.length} assets, ${fleet.faults.length} faults → ${root}`);
      const summary = await (opts.replay ?? replay)({
        pipeline: opts.pipeline,
        overrides: opts.overrides,
        chunkRoot,
        artifactRoot,
        maxWorkers: opts.maxWorkers ?? 1,
      });
      const failed = summary.assets.filter((a) => a.status !== "ok");
      if (failed.length > 0) {
        throw new Error(
          `Cannot score seed ${seed}: replay failed for ${
            failed.map((a) => `${a.asset} (${a.error})`).join(", ")
          }`,
        );
      }
      const faults: TruthFault[] = [], episodes: ScoredEpisode[] = [], alarms: AssetAlarms[] = [];
      const changes: Array<{ asset: string; t: number }> = [];
      for (const asset of fleet.assets) {
        const key = `${seed}/${asset.name}`, dir = `${artifactRoot}/${asset.name}`;
        episodes.push(...await readEpisodes(`${dir}/episodes.csv`, key));
        alarms.push(await readAlarms(`${dir}/scores.csv`, key, [fleet.trainEnd, fleet.end]));
        for (const t of [...asset.stops.flat(), ...asset.ramps]) changes.push({ asset: key, t });
      }
      for (const f of fleet.faults) faults.push({ ...f, asset: `${seed}/${f.asset}` });
      const score = scoreFleet(faults, episodes, alarms, { graceMs, changes });
      const seconds = (performance.now() - t0) / 1000;
      perSeed.push({ seed, score, seconds });
      print(
        `seed ${seed}: recall ${score.found}/${score.faults}, ${score.falseEpisodes} false episodes, ${
          seconds.toFixed(0)
        } s`,
      );
      all.faults.push(...faults);
      all.episodes.push(...episodes);
      all.alarms.push(...alarms);
      all.changes.push(...changes);
    } finally {
      if (opts.keepDir === undefined) await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  }
  return {
    seeds: [...opts.seeds],
    graceMs,
    perSeed,
    pooled: scoreFleet(all.faults, all.episodes, all.alarms, { graceMs, changes: all.changes }),
  };
}
