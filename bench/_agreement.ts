/**
 * Agreement between two runs' outputs (ours and the Python peer): Jaccard index
 * of the alarm rows (matched by timestamp) and, per side, the share of its
 * episodes that overlap at least one episode of the other side.
 */
import { parseCsv } from "../core/io/csv_text.ts";

/** Agreement numbers (NaN shares when a side has no episode). */
export interface Agreement {
  /** |A ∩ B| / |A ∪ B| over alarm rows; 1 when neither side alarms. */
  jaccard: number;
  alarmRowsOurs: number;
  alarmRowsPeer: number;
  /** Rows present in both score files. */
  commonRows: number;
  episodesOurs: number;
  episodesPeer: number;
  /** Share of peer episodes overlapped by one of ours. */
  peerCoveredByOurs: number;
  /** Share of our episodes overlapped by one of the peer's. */
  oursCoveredByPeer: number;
}

type Interval = [number, number];

const toMs = (s: string) => Date.parse(s.endsWith("Z") ? s : `${s}Z`);

/** Alarm flag per timestamp (ms) from a `timestamp,fused,alarm` CSV text. */
export function alarmsByTime(text: string): Map<number, boolean> {
  const rows = parseCsv(text);
  const head = rows[0] ?? [];
  const ti = head.indexOf("timestamp"), ai = head.indexOf("alarm");
  if (ti < 0 || ai < 0) {
    throw new Error(`Cannot read scores: header [${head.join(",")}] lacks timestamp/alarm`);
  }
  const out = new Map<number, boolean>();
  for (const r of rows.slice(1)) if (r.length > ai) out.set(toMs(r[ti]), Number(r[ai]) === 1);
  return out;
}

/** Episode intervals [start, end] (ms) from a `start,end,peak_z` CSV text. */
export function episodeIntervals(text: string): Interval[] {
  const rows = parseCsv(text);
  const head = rows[0] ?? [];
  const si = head.indexOf("start"), ei = head.indexOf("end");
  if (si < 0 || ei < 0) {
    throw new Error(`Cannot read episodes: header [${head.join(",")}] lacks start/end`);
  }
  return rows.slice(1).filter((r) => r.length > ei).map((r) => [toMs(r[si]), toMs(r[ei])]);
}

/** Share of `a` intervals that overlap at least one `b` interval (NaN when `a` is empty). */
export function coveredShare(a: readonly Interval[], b: readonly Interval[]): number {
  if (a.length === 0) return NaN;
  const hit = a.filter(([s, e]) => b.some(([s2, e2]) => s <= e2 && s2 <= e)).length;
  return hit / a.length;
}

/** Compares the outputs of two runs given their score and episode CSV texts. */
export function agreement(
  ours: { scores: string; episodes: string },
  peer: { scores: string; episodes: string },
): Agreement {
  const a = alarmsByTime(ours.scores), b = alarmsByTime(peer.scores);
  let inter = 0, union = 0, common = 0, na = 0, nb = 0;
  for (const [t, x] of a) {
    const y = b.get(t);
    if (y === undefined) continue;
    common++;
    if (x) na++;
    if (y) nb++;
    if (x && y) inter++;
    if (x || y) union++;
  }
  const ea = episodeIntervals(ours.episodes), eb = episodeIntervals(peer.episodes);
  return {
    jaccard: union === 0 ? 1 : inter / union,
    alarmRowsOurs: na,
    alarmRowsPeer: nb,
    commonRows: common,
    episodesOurs: ea.length,
    episodesPeer: eb.length,
    peerCoveredByOurs: coveredShare(eb, ea),
    oursCoveredByPeer: coveredShare(ea, eb),
  };
}

/** Reads `scores.csv` and `episodes.csv` of two output folders and compares them. */
export async function compareDirs(oursDir: string, peerDir: string): Promise<Agreement> {
  const read = async (d: string) => ({
    scores: await Deno.readTextFile(`${d}/scores.csv`),
    episodes: await Deno.readTextFile(`${d}/episodes.csv`),
  });
  return agreement(await read(oursDir), await read(peerDir));
}
