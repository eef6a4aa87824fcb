/**
 * The one-line answer at the top of a report and in the fleet index: what is
 * wrong, since when, which sensors, which operating mode, how bad.
 */
import type { EpisodeRecord } from "../io/records.ts";
import type { AssetSummary } from "./read_outputs.ts";
import { fmt, fmtHealth, showTime } from "./svg.ts";
import type { ReportThresholds } from "./thresholds.ts";

/** Overall state of an asset. */
export type Status = "ALERT" | "WATCH" | "GOOD" | "NO DATA";

/** An asset's status and headline sentence. */
export interface AssetStatus {
  status: Status;
  headline: string;
  health: number | null;
  openEpisodes: number;
  worstPeak: number;
}

const RANK: Record<Status, number> = { "NO DATA": 0, GOOD: 1, WATCH: 2, ALERT: 3 };

/** Sort key: higher = worse (ALERT > WATCH > GOOD > NO DATA). */
export function statusRank(s: Status): number {
  return RANK[s];
}

/** Health zone of a health value. */
export function healthZone(health: number | null, th: ReportThresholds): Status {
  if (health === null || !Number.isFinite(health)) return "NO DATA";
  return health < th.alert_below ? "ALERT" : health < th.watch_below ? "WATCH" : "GOOD";
}

/** "SENSOR 41%, SENSOR 30%" for the first `n` culprits. */
export function culpritText(e: EpisodeRecord, n = 2): string {
  return e.culprits.slice(0, n).map((c) => `${c.sensor} ${fmt(c.pct, 2)}%`).join(", ");
}

const regimeText = (r: number) => (r < 0 ? "regime unknown" : `regime ${r}`);

/** Status and headline of an asset from its summary and episodes. */
export function assetStatus(
  summary: AssetSummary,
  episodes: readonly EpisodeRecord[],
  th: ReportThresholds,
): AssetStatus {
  const health = summary.current?.health ?? null;
  const open = episodes.filter((e) => e.open);
  const worstPeak = episodes.reduce((m, e) => (e.peak_z > m ? e.peak_z : m), -Infinity);
  let status = healthZone(health, th);
  const base = { health, openEpisodes: open.length, worstPeak };
  if (!summary.current) {
    return { ...base, status, headline: "NO DATA — nothing has been scored yet" };
  }
  if (open.length > 0) {
    const e = open.reduce((a, b) => (b.peak_z > a.peak_z ? b : a));
    const floor: Status = e.severity === "info" ? "WATCH" : "ALERT";
    if (RANK[floor] > RANK[status]) status = floor;
    const parts = [`${status} since ${showTime(e.start)}`];
    if (e.culprits.length) parts.push(culpritText(e));
    parts.push(regimeText(e.regime), `peak z ${fmt(e.peak_z)} (${e.severity})`);
    return { ...base, status, headline: parts.join(" — ") };
  }
  const last = episodes[episodes.length - 1];
  const now = `health ${fmtHealth(health)} at ${showTime(summary.current.timestamp)}`;
  if (!last) {
    return {
      ...base,
      status,
      headline: `${status} — no episodes from ${showTime(summary.first)} to ${
        showTime(summary.last)
      } — ${now}`,
    };
  }
  const culprits = last.culprits.length ? `, ${culpritText(last)}` : "";
  return {
    ...base,
    status,
    headline: `${status} — ${now} — last episode #${last.episode_id} ${showTime(last.start)} → ${
      showTime(last.end)
    } (peak z ${fmt(last.peak_z)}${culprits}, ${regimeText(last.regime)})`,
  };
}
