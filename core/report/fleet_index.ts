/**
 * The fleet index `<artifact-root>/index.html`: every asset with stored outputs
 * or a run record, ranked worst first (status, then lowest current health, then
 * most open episodes), with its headline, a 30-day health sparkline with the 7-
 * and 30-day means, the time since its last episode, open episodes, FAILED and
 * STALE flags, a link to its report, and a fleet episode timeline.
 *
 * Status follows the rule in status.ts. An asset is STALE when its last row is
 * more than `staleDays` (default 7) older than the newest row of the fleet.
 */
import { atomicWriteText } from "../io/atomic_write.ts";
import type { EpisodeRecord } from "../io/records.ts";
import { outputError } from "../io/output_error.ts";
import { fleetTimeline } from "./fleet_timeline.ts";
import { alarmShare, type HealthTrend, healthTrend, sparkline } from "./health_trend.ts";
import { readHealthTail } from "./health_tail.ts";
import { page, pill } from "./page.ts";
import { STATUS_COLOR } from "./palette.ts";
import { type AssetSummary, parseEpisodesCsv, parseIso } from "./read_outputs.ts";
import { latestFailures, readRunOutcomes, type RunOutcome } from "./run_failures.ts";
import { type AssetStatus, assetStatus, STATUSES, statusRank } from "./status.ts";
import { esc, fmt, fmtHealth, humanDuration, showTime } from "./svg.ts";
import { completeThresholds, type ReportThresholds } from "./thresholds.ts";

/** One asset's row in the fleet index. */
export interface FleetEntry extends AssetStatus {
  asset: string;
  dir: string;
  episodes: number;
  first: string;
  last: string;
  hasReport: boolean;
  /** Error of the latest run that failed for the asset, else null. */
  failure: string | null;
  /** Set by renderFleetIndex: last row older than the fleet's newest by more than staleDays. */
  stale?: boolean;
  trend: HealthTrend | null;
  /** Share of the trend window's rows inside an episode (NaN: no rows or no alarm column). */
  alarmShare: number;
  thresholds: ReportThresholds;
  /** Seconds from the end of the last closed episode to the last row; 0 while one is open; null: none. */
  sinceEpisode: number | null;
  episodeList: EpisodeRecord[];
}

/** Options of the fleet index. */
export interface FleetIndexOptions {
  /** Only these assets (default: every asset directory and run record). */
  assets?: readonly string[];
  /** The run in progress (its manifest is written after the index). */
  currentRun?: RunOutcome;
  /** Days behind the fleet's newest row after which an asset is STALE. */
  staleDays?: number;
}

/** Days of the health trend. */
const TREND_DAYS = 30;

async function readOptional(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw outputError("read", path, err);
  }
}

/** Asset directories under the root that hold a summary.json (optionally only `assets`). */
export async function listAssetDirs(
  artifactRoot: string,
  assets?: readonly string[],
): Promise<string[]> {
  const names: string[] = [];
  const candidates = assets ?? (await Array.fromAsync(Deno.readDir(artifactRoot)))
    .filter((e) => e.isDirectory && !e.name.startsWith(".")).map((e) => e.name);
  for (const name of candidates) {
    if ((await readOptional(`${artifactRoot}/${name}/summary.json`)) !== null) names.push(name);
  }
  return names.sort();
}

/** Reads an asset's summary, episodes and health and works out its status. */
export async function fleetEntry(
  artifactRoot: string,
  name: string,
  failure: string | null = null,
): Promise<FleetEntry> {
  const dir = `${artifactRoot}/${name}`;
  const summary = JSON.parse((await readOptional(`${dir}/summary.json`)) ?? "{}") as AssetSummary;
  const training = JSON.parse((await readOptional(`${dir}/training.json`)) ?? "{}") as {
    thresholds?: Partial<ReportThresholds>;
  };
  const episodes = parseEpisodesCsv(
    (await readOptional(`${dir}/episodes.csv`)) ?? "",
    summary.openEpisodes ?? [],
  );
  const thresholds = completeThresholds(training.thresholds);
  const st = assetStatus(
    {
      ...summary,
      first: summary.first ?? "",
      last: summary.last ?? "",
      current: summary.current ?? null,
    },
    episodes,
    thresholds,
    { failure },
  );
  const h = await readHealthTail(`${dir}/scores.csv`, TREND_DAYS);
  const trend = h ? healthTrend(h.t, h.health, TREND_DAYS) : null;
  const closed = episodes.filter((e) => !e.open && e.end);
  const lastEnd = closed.length ? Math.max(...closed.map((e) => parseIso(e.end))) : NaN;
  const last = summary.last ?? "";
  return {
    ...st,
    asset: summary.asset || name,
    dir: name,
    episodes: episodes.length,
    first: summary.first ?? "",
    last,
    hasReport: await Deno.stat(`${dir}/report.html`).then((st) => st.isFile, () => false),
    failure,
    trend,
    alarmShare: h && trend ? alarmShare(h.t, h.alarm, trend.day0) : NaN,
    thresholds,
    sinceEpisode: st.openEpisodes > 0
      ? 0
      : Number.isFinite(lastEnd) && last
      ? Math.max(0, (parseIso(last) - lastEnd) / 1000)
      : null,
    episodeList: episodes,
  };
}

/** Worst first: status, then lower health, then more open episodes, then name. */
export function compareEntries(a: FleetEntry, b: FleetEntry): number {
  return statusRank(b.status) - statusRank(a.status) ||
    (a.health ?? 101) - (b.health ?? 101) ||
    b.openEpisodes - a.openEpisodes ||
    (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0);
}

function trendCell(e: FleetEntry): string {
  if (!e.trend) return `<span class="muted">–</span>`;
  return `${sparkline(e.trend, e.thresholds)}<span class="note">7 d ${
    fmtHealth(e.trend.mean7)
  } · 30 d ${fmtHealth(e.trend.mean30)}</span>`;
}

function flags(e: FleetEntry): string {
  const out: string[] = [];
  if (e.failure) out.push(`<span class="flag" title="${esc(e.failure)}">run failed</span>`);
  if (e.stale) out.push(`<span class="flag">stale</span>`);
  return out.join("");
}

/** Renders the fleet index page. */
export function renderFleetIndex(
  entries: readonly FleetEntry[],
  opts: { staleDays?: number } = {},
): string {
  const staleDays = opts.staleDays ?? 7;
  const newest = Math.max(-Infinity, ...entries.filter((e) => e.last).map((e) => parseIso(e.last)));
  const sorted = [...entries].map((e) => ({
    ...e,
    stale: !!e.last && newest - parseIso(e.last) > staleDays * 86_400_000,
  })).sort(compareEntries);
  const counts = STATUSES.map((s) => [s, sorted.filter((e) => e.status === s).length] as const)
    .filter(([, k]) => k > 0);
  const rows = sorted.map((e) => {
    const link = `${encodeURIComponent(e.dir)}/report.html`;
    const name = e.hasReport ? `<a href="${link}">${esc(e.asset)}</a>` : esc(e.asset);
    const since = e.sinceEpisode === null
      ? "none"
      : e.sinceEpisode === 0 && e.openEpisodes > 0
      ? "open now"
      : humanDuration(e.sinceEpisode);
    return `<tr data-asset="${esc(e.asset)}" data-status="${e.status}"><td><b>${name}</b></td><td>${
      pill(e.status, STATUS_COLOR[e.status])
    }${flags(e)}</td><td class="num">${fmtHealth(e.health)}</td><td>${
      trendCell(e)
    }</td><td class="num">${e.openEpisodes}</td><td class="num">${e.episodes}</td><td class="num">${since}</td><td class="num">${
      Number.isFinite(e.alarmShare) ? `${fmt(100 * e.alarmShare, 2)} %` : "–"
    }</td><td class="num">${fmt(e.worstPeak)}</td><td class="nowrap">${
      esc(showTime(e.last))
    }</td><td>${esc(e.headline)}</td></tr>`;
  }).join("");
  const timeline = fleetTimeline(
    sorted.map((e) => ({ asset: e.asset, first: e.first, last: e.last, episodes: e.episodeList })),
  );
  return page(
    "acm fleet",
    `<header><h1>Fleet</h1><p class="headline">${
      counts.map(([s, k]) => `${pill(s, STATUS_COLOR[s])} ${k}`).join(" &nbsp; ") ||
      "No assets yet."
    }</p><p class="note">Ranked worst first: status, then lowest current health, then most open episodes. Status: FAILED when the latest run failed for the asset; otherwise the worst of the health zone of the last row, any open episode (info → WATCH, warning/critical → ALERT) and any critical (→ ALERT) or warning (→ WATCH) episode that ended in the asset's last 7 days of data. Stale: last data more than ${staleDays} days behind the newest asset. Health trend: daily mean over the last 30 days of data (dashed box: last 7). In alarm: the share of those 30 days' rows inside an episode (the condition model's peak z sits at its cap for any sustained fault, so it ranks assets less well).</p></header>
<section class="card"><table class="fleet"><thead><tr><th>asset</th><th>status</th><th>health now</th><th>health trend</th><th>open</th><th>episodes</th><th>since last episode</th><th>in alarm, 30 d</th><th>worst peak z</th><th>last data</th><th>what is going on</th></tr></thead><tbody>${rows}</tbody></table></section>
${
      timeline
        ? `<section class="card" id="timeline"><h2>Episodes across the fleet</h2><p class="note">Grey line: each asset's data span; bars: episodes by severity (hover for details).</p>${timeline}</section>`
        : ""
    }
<footer>Generated by acm. Each asset links to its report.</footer>`,
  );
}

/** Writes `<artifactRoot>/index.html` from every asset's stored outputs; returns its path. */
export async function writeFleetIndex(
  artifactRoot: string,
  opts: FleetIndexOptions = {},
): Promise<string> {
  const failures = latestFailures(await readRunOutcomes(artifactRoot), opts.currentRun);
  const names = new Set(await listAssetDirs(artifactRoot, opts.assets));
  // An asset whose latest run failed is listed even without a summary.json.
  for (const a of failures.keys()) if (!opts.assets || opts.assets.includes(a)) names.add(a);
  const entries: FleetEntry[] = [];
  for (const name of [...names].sort()) {
    entries.push(await fleetEntry(artifactRoot, name, failures.get(name) ?? null));
  }
  const path = `${artifactRoot}/index.html`;
  await atomicWriteText(path, renderFleetIndex(entries, { staleDays: opts.staleDays }));
  return path;
}
