/**
 * The one-line answer at the top of a report and in the fleet index: what is
 * wrong, since when, which sensors, which operating mode, how bad.
 *
 * The status rule (docs/report.md repeats it), first match wins:
 *   1. FAILED  — the latest run that processed the asset failed for it (its
 *      error is the headline; the charts show the data up to the last good chunk).
 *   2. NO DATA — nothing has been scored yet.
 *   3. otherwise the worst of
 *      - the health zone of the last scored row (ALERT < alert_below ≤ WATCH < watch_below ≤ GOOD),
 *      - an open episode: info → WATCH, warning or critical → ALERT,
 *      - a closed episode that ended within `recentDays` (default 7) of the
 *        asset's last row: critical → ALERT, warning → WATCH.
 * So an asset with a critical episode in its last week of data is never GOOD,
 * whatever the health of its very last row. Staleness is a flag next to the
 * status (fleet_index.ts), not a status.
 */
import type { EpisodeRecord } from "../io/records.ts";
import type { AssetSummary } from "./read_outputs.ts";
import { fmt, fmtHealth, humanDuration, showTime } from "./svg.ts";
import type { ReportThresholds } from "./thresholds.ts";

/** Overall state of an asset. */
export type Status = "FAILED" | "ALERT" | "WATCH" | "GOOD" | "NO DATA";

/** Every status, worst first. */
export const STATUSES: readonly Status[] = ["FAILED", "ALERT", "WATCH", "GOOD", "NO DATA"];

/** Days before the last row in which a closed critical/warning episode still counts. */
export const RECENT_DAYS = 7;

/** What the status rule needs besides the summary and episodes. */
export interface StatusContext {
  /** Error of the latest run that failed for this asset (null/absent: it did not fail). */
  failure?: string | null;
  /** Window for closed episodes (days before the last row); default RECENT_DAYS. */
  recentDays?: number;
}

/** An asset's status and headline sentence. */
export interface AssetStatus {
  status: Status;
  headline: string;
  health: number | null;
  openEpisodes: number;
  worstPeak: number;
}

const RANK: Record<Status, number> = { "NO DATA": 0, GOOD: 1, WATCH: 2, ALERT: 3, FAILED: 4 };

/** Sort key: higher = worse (FAILED > ALERT > WATCH > GOOD > NO DATA). */
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

/** Epoch ms of a stored timestamp ("" → NaN). */
function ms(iso: string): number {
  if (!iso) return NaN;
  return Date.parse(
    iso.length === 10 ? `${iso}T00:00:00Z` : /Z$|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`,
  );
}

/** Closed critical/warning episodes ending within `days` of `lastMs`, worst (then latest) first. */
export function recentEpisodes(
  episodes: readonly EpisodeRecord[],
  lastMs: number,
  days = RECENT_DAYS,
): EpisodeRecord[] {
  const from = lastMs - days * 86_400_000;
  const weight = (e: EpisodeRecord) => (e.severity === "critical" ? 2 : 1);
  return episodes.filter((e) =>
    !e.open && (e.severity === "critical" || e.severity === "warning") && ms(e.end) >= from
  ).sort((a, b) => weight(b) - weight(a) || ms(b.end) - ms(a.end));
}

/** Status and headline of an asset from its summary and episodes. */
export function assetStatus(
  summary: AssetSummary,
  episodes: readonly EpisodeRecord[],
  th: ReportThresholds,
  ctx: StatusContext = {},
): AssetStatus {
  const health = summary.current?.health ?? null;
  const open = episodes.filter((e) => e.open);
  const worstPeak = episodes.reduce((m, e) => (e.peak_z > m ? e.peak_z : m), -Infinity);
  const base = { health, openEpisodes: open.length, worstPeak };
  if (ctx.failure) {
    const upTo = summary.current
      ? `scored data up to ${showTime(summary.current.timestamp)}`
      : "no scored data";
    return { ...base, status: "FAILED", headline: `FAILED — ${ctx.failure} — ${upTo}` };
  }
  let status = healthZone(health, th);
  if (!summary.current) {
    return { ...base, status, headline: "NO DATA — nothing has been scored yet" };
  }
  const raise = (s: Status) => {
    if (RANK[s] > RANK[status]) status = s;
  };
  const now = `health ${fmtHealth(health)} at ${showTime(summary.current.timestamp)}`;
  if (open.length > 0) {
    const e = open.reduce((a, b) => (b.peak_z > a.peak_z ? b : a));
    raise(e.severity === "info" ? "WATCH" : "ALERT");
    const parts = [`${status} since ${showTime(e.start)}`];
    if (e.culprits.length) parts.push(culpritText(e));
    parts.push(regimeText(e.regime), `peak z ${fmt(e.peak_z)} (${e.severity})`);
    return { ...base, status, headline: parts.join(" — ") };
  }
  const lastMs = ms(summary.current.timestamp);
  const recent = recentEpisodes(episodes, lastMs, ctx.recentDays ?? RECENT_DAYS);
  if (recent.length > 0) {
    const e = recent[0];
    raise(e.severity === "critical" ? "ALERT" : "WATCH");
    const more = recent.length > 1
      ? ` (${recent.length} in the last ${ctx.recentDays ?? RECENT_DAYS} d)`
      : "";
    const culprits = e.culprits.length ? ` — ${culpritText(e)}` : "";
    return {
      ...base,
      status,
      headline: `${status} — ${e.severity} episode #${e.episode_id} ended ${
        humanDuration((lastMs - ms(e.end)) / 1000)
      } before the last data${more}${culprits} — peak z ${fmt(e.peak_z)} — ${now}`,
    };
  }
  const last = episodes[episodes.length - 1];
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
