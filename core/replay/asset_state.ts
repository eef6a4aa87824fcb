/**
 * Where each asset of a replay stands after the run, for `acm replay --json`:
 * its episodes, the open ones, health now and status, read back from the
 * asset's stored outputs (summary.json, episodes.csv, training.json of the csv
 * sink) and judged by the report's status rule (core/report/status.ts).
 */
import type { EpisodeRecord } from "../io/records.ts";
import { type AssetSummary as StoredSummary, parseEpisodesCsv } from "../report/read_outputs.ts";
import { assetStatus } from "../report/status.ts";
import { completeThresholds, type ReportThresholds } from "../report/thresholds.ts";
import type { AssetSummary } from "./summary.ts";

/** An asset's state after a run. */
export interface AssetState {
  asset: string;
  /** FAILED when the asset failed in this run; NO DATA without stored outputs. */
  status: string;
  headline: string;
  /** Health of the last scored row (null: nothing scored). */
  health: number | null;
  /** Timestamp of the last scored row ("" when nothing was scored). */
  lastTimestamp: string;
  openEpisodes: EpisodeRecord[];
  episodes: EpisodeRecord[];
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw new Error(`Cannot read "${path}": ${(err as Error).message}`, { cause: err });
  }
}

function parseJson<T>(path: string, text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`Cannot read "${path}": not valid JSON (${(err as Error).message})`);
  }
}

/** The state of `run`'s asset from the outputs in `assetDir` (no csv sink: NO DATA). */
export async function assetState(assetDir: string, run: AssetSummary): Promise<AssetState> {
  const summaryPath = `${assetDir}/summary.json`;
  const stored = parseJson<StoredSummary>(summaryPath, await readOptional(summaryPath));
  const episodesText = await readOptional(`${assetDir}/episodes.csv`);
  const episodes = episodesText === null
    ? []
    : parseEpisodesCsv(episodesText, stored?.openEpisodes ?? []);
  const trainingPath = `${assetDir}/training.json`;
  const training = parseJson<{ thresholds?: Partial<ReportThresholds> }>(
    trainingPath,
    await readOptional(trainingPath),
  );
  const summary: StoredSummary = stored ?? {
    asset: run.asset,
    chunks: 0,
    rows: 0,
    first: "",
    last: "",
    modelVersion: 0,
    heads: [],
    current: null,
    episodes: 0,
    openEpisodes: [],
  };
  const judged = assetStatus(summary, episodes, completeThresholds(training?.thresholds));
  const failed = run.status === "failed";
  return {
    asset: run.asset,
    status: failed ? "FAILED" : judged.status,
    headline: failed
      ? `FAILED — ${run.failedChunk ? `chunk ${run.failedChunk}: ` : ""}${run.error}`
      : judged.headline,
    health: judged.health,
    lastTimestamp: summary.current?.timestamp ?? "",
    openEpisodes: episodes.filter((e) => e.open),
    episodes,
  };
}

/** States of every asset of a run (artifact root layout `<root>/<asset>/`). */
export function assetStates(
  artifactRoot: string,
  assets: readonly AssetSummary[],
): Promise<AssetState[]> {
  return Promise.all(assets.map((a) => assetState(`${artifactRoot}/${a.asset}`, a)));
}
