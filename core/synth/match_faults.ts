/**
 * Scores detected episodes against injected faults. A fault counts as found when
 * an episode of the same asset overlaps its window, the window's end extended by
 * a tolerated lag (an alarm that trips shortly after a short fault still counts).
 * Episodes overlapping no (extended) fault window are false alarms. For each
 * found fault: the detection delay (first overlapping episode start − fault
 * start, floored at 0) and whether an affected sensor is among the top culprits.
 */
import { formatTimestamp } from "../frame.ts";
import { parseCulprits } from "../io/records.ts";
import { parseCsv } from "../io/csv_text.ts";
import type { InjectedFault } from "./faults.ts";

/** An episode as the matcher needs it. */
export interface DetectedEpisode {
  asset: string;
  id: number;
  start: number;
  end: number;
  peakZ: number;
  /** Culprit sensors, largest share first. */
  culprits: string[];
}

/** The verdict on one fault. */
export interface FaultMatch {
  fault: InjectedFault;
  detected: boolean;
  /** ms from fault start to the first overlapping episode's start (≥ 0); null when missed. */
  delayMs: number | null;
  /** Ids of the overlapping episodes. */
  episodeIds: number[];
  /** Top culprits of the overlapping episodes, in order of first appearance. */
  culprits: string[];
  /** True when an affected sensor is among the top culprits of an overlapping episode. */
  culpritHit: boolean;
}

/** The whole comparison. */
export interface FaultReport {
  matches: FaultMatch[];
  /** Episodes overlapping no fault window. */
  falseAlarms: DetectedEpisode[];
  found: number;
  total: number;
  culpritHits: number;
}

/** Matching settings. */
export interface MatchOptions {
  /** How long after a fault's end an episode may start and still count (default 3 h). */
  lagMs?: number;
  /** How many leading culprits of an episode are checked (default 3). */
  topCulprits?: number;
}

/** Matches episodes to faults (see the module comment for the rules). */
export function matchFaults(
  faults: readonly InjectedFault[],
  episodes: readonly DetectedEpisode[],
  opts: MatchOptions = {},
): FaultReport {
  const lag = opts.lagMs ?? 3 * 3_600_000;
  const top = opts.topCulprits ?? 3;
  const used = new Set<DetectedEpisode>();
  const matches = faults.map((fault): FaultMatch => {
    const hits = episodes
      .filter((e) => e.asset === fault.asset && e.start < fault.end + lag && e.end >= fault.start)
      .sort((a, b) => a.start - b.start);
    hits.forEach((e) => used.add(e));
    const culprits: string[] = [];
    for (const e of hits) {
      for (const c of e.culprits.slice(0, top)) if (!culprits.includes(c)) culprits.push(c);
    }
    return {
      fault,
      detected: hits.length > 0,
      delayMs: hits.length > 0 ? Math.max(0, hits[0].start - fault.start) : null,
      episodeIds: hits.map((e) => e.id),
      culprits,
      culpritHit: hits.some((e) => e.culprits.slice(0, top).some((c) => fault.sensors.includes(c))),
    };
  });
  return {
    matches,
    falseAlarms: episodes.filter((e) => !used.has(e)),
    found: matches.filter((m) => m.detected).length,
    total: matches.length,
    culpritHits: matches.filter((m) => m.culpritHit).length,
  };
}

/** Epoch ms of a naive ISO `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` (read as UTC, like the frame). */
function parseIso(text: string): number {
  return Date.parse(`${text.trim().replace(" ", "T")}Z`);
}

/** Reads an asset's `episodes.csv` (the replay contract); a missing file gives []. */
export async function readEpisodesCsv(path: string, asset: string): Promise<DetectedEpisode[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const col = (name: string) => header.indexOf(name);
  const [id, start, end, peak, culprits] = ["episode_id", "start", "end", "peak_z", "culprits"].map(
    col,
  );
  if (start < 0 || end < 0) {
    throw new Error(`Cannot read episodes: "${path}" has no start/end columns`);
  }
  return rows.filter((r) => r.length > 1).map((r, k) => ({
    asset,
    id: id >= 0 ? Number(r[id]) : k + 1,
    start: parseIso(r[start]),
    end: parseIso(r[end]),
    peakZ: peak >= 0 ? Number(r[peak]) : NaN,
    culprits: culprits >= 0
      ? parseCulprits(r[culprits]).sort((a, b) => (b.pct || 0) - (a.pct || 0)).map((c) => c.sensor)
      : [],
  }));
}

/** Duration as `1d 4h`, `3h 20m` or `45m`. */
export function formatDuration(ms: number): string {
  const m = Math.round(ms / 60_000);
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${String(mm).padStart(2, "0")}m` : `${mm}m`;
}

/** A fault window as `03-12 20:05 → 03-13 17:42`. */
export function formatWindow(start: number, end: number): string {
  const short = (t: number) => formatTimestamp(t).slice(5, 16).replace("T", " ");
  return `${short(start)} → ${short(end)}`;
}
