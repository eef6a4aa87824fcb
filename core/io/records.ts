/**
 * The stored form of episodes and culprits (ISO timestamps, culprits as
 * `SENSOR:pct%;SENSOR:pct%`), shared by the csv, jsonl and sqlite outputs and
 * read back by the report.
 */
import { formatTimestamp } from "../frame.ts";
import type { Culprit, Episode } from "../plugin.ts";

/** An episode as stored: `id` as `episode_id`, timestamps as ISO text. */
export type EpisodeRecord = Omit<Episode, "id" | "start" | "end"> & {
  episode_id: number;
  start: string;
  end: string;
};

/** The stored form of an episode. */
export function episodeRecord(e: Episode): EpisodeRecord {
  return {
    episode_id: e.id,
    start: formatTimestamp(e.start),
    end: formatTimestamp(e.end),
    duration_s: e.duration_s,
    peak_z: e.peak_z,
    mean_z: e.mean_z,
    severity: e.severity,
    detector: e.detector,
    culprits: e.culprits.map((c) => ({ sensor: c.sensor, pct: c.pct })),
    regime: e.regime,
    open: e.open,
    ...(e.kind ? { kind: e.kind } : {}),
  };
}

/** Culprits as `SENSOR:pct%;SENSOR:pct%` (pct at full precision). */
export function formatCulprits(culprits: readonly Culprit[]): string {
  return culprits.map((c) => `${c.sensor}:${String(c.pct)}%`).join(";");
}

/** Reads `SENSOR:pct%;...` back; a sensor name may itself contain ":" (the last one splits). */
export function parseCulprits(text: string): Culprit[] {
  if (text.trim() === "") return [];
  return text.split(";").map((part) => {
    const i = part.lastIndexOf(":");
    if (i < 0) return { sensor: part, pct: NaN };
    return { sensor: part.slice(0, i), pct: Number(part.slice(i + 1).replace(/%$/, "")) };
  });
}

/**
 * The episodes of an asset from per-chunk lists given in chunk time order: the
 * version from the latest chunk that mentions an id wins (an open episode is
 * re-sent, updated, with every chunk). Sorted by id.
 */
export function latestEpisodes(lists: readonly (readonly EpisodeRecord[])[]): EpisodeRecord[] {
  const byId = new Map<number, EpisodeRecord>();
  for (const list of lists) for (const e of list) byId.set(e.episode_id, e);
  return [...byId.values()].sort((a, b) => a.episode_id - b.episode_id);
}
