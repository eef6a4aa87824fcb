/**
 * The self-contained HTML report of one asset, built from its stored outputs:
 * headline (what, since when, which sensors, which mode, how bad), fused z with
 * threshold and episodes, episode table with culprit bars, culprit sensor traces
 * for the top episodes against their training range, detector head strips,
 * regime timeline, health with zones, and data-quality notes.
 */
import { formatTimestamp } from "../frame.ts";
import type { EpisodeRecord } from "../io/records.ts";
import { atomicWriteText } from "../io/atomic_write.ts";
import type { CachedChunk } from "./cached_chunk.ts";
import { fusedChart, headStrips, healthChart, regimeTimeline, traceChart } from "./charts.ts";
import { page, pill } from "./page.ts";
import { SEVERITY_COLOR, STATUS_COLOR } from "./palette.ts";
import { type AssetOutputs, parseIso, readAssetOutputs } from "./read_outputs.ts";
import { assetStatus } from "./status.ts";
import { esc, fmt, fmtHealth, humanDuration, showTime } from "./svg.ts";
import { renderQuality } from "./quality_section.ts";
import { type FlagRun, flagRuns } from "./held_shading.ts";
import { sensorBrowser } from "./sensor_browser.ts";
import { explorerSection } from "./explorer.ts";
import { ascending, dominantLabel, signatureWords } from "./signature.ts";
import { culpritDeviation } from "./deviation.ts";
import { episodeCases } from "./cases.ts";
import { caseTable } from "./case_table.ts";
import { sensorTitle, sharedPrefix, withoutPrefix } from "./sensor_labels.ts";
import {
  countOutside,
  MIN_SHARE,
  type OutsideTraining,
  outsideTraining,
} from "./outside_training.ts";

/** Options of the asset report. */
export interface AssetReportOptions {
  /** Episodes (by peak z) whose culprit sensors' traces are drawn. */
  topEpisodes?: number;
  /** Culprit sensors drawn per episode. */
  tracesPerEpisode?: number;
  /**
   * Chunks handed to the report sink this run, standing in for scores.csv,
   * expected.csv and the chunk files when they cover them (cached_chunk.ts).
   */
  traces?: ReadonlyMap<string, CachedChunk>;
}

function culpritBars(e: EpisodeRecord, info: AssetOutputs["sensorInfo"], prefix: string): string {
  if (e.culprits.length === 0) return `<span class="muted">–</span>`;
  return e.culprits.map((c) => {
    const w = Math.max(0, Math.min(100, c.pct));
    const about = sensorTitle("", info[c.sensor]).replace(/^ — /, "");
    return `<div class="culprit"><span class="name" title="${
      esc(sensorTitle(c.sensor, info[c.sensor]))
    }">${esc(withoutPrefix(c.sensor, prefix))}${
      about ? `<small>${esc(about)}</small>` : ""
    }</span><span class="bar"><i style="width:${w.toFixed(1)}%"></i></span><span class="num">${
      fmt(c.pct, 3)
    }%</span></div>`;
  }).join("");
}

/** The top culprit's median actual − expected over the episode, in its unit and in % ("–" without expected values). */
function deviationCell(o: AssetOutputs, e: EpisodeRecord, start: number, end: number): string {
  const top = e.culprits[0]?.sensor;
  const dev = top && o.expected ? culpritDeviation(o.expected, top, start, end) : null;
  if (!dev) return `<span class="muted">–</span>`;
  const sign = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "");
  const unit = o.sensorInfo[top!]?.unit;
  const rel = Number.isFinite(dev.relative)
    ? ` <span class="muted">(${sign(dev.relative)}${fmt(Math.abs(100 * dev.relative), 2)} %)</span>`
    : "";
  return `${sign(dev.residual)}${fmt(Math.abs(dev.residual))}${unit ? ` ${esc(unit)}` : ""}${rel}`;
}

/** The sensors beyond their training band for most of the episode (culprits in bold); "–" when none or no readings. */
function outsideCell(e: EpisodeRecord, outside: OutsideTraining[], prefix: string): string {
  if (outside.length === 0) return `<span class="muted">–</span>`;
  const culprits = new Set(e.culprits.map((c) => c.sensor));
  const shown = outside.slice(0, 3).map((x) => {
    const short = esc(withoutPrefix(x.sensor, prefix));
    const name = culprits.has(x.sensor) ? `<b>${short}</b>` : short;
    return `<div class="outside" title="${esc(x.sensor)}: ${
      fmt(100 * x.share, 3)
    } % of the episode's rows ${x.side} the training band">${x.side === "above" ? "↑" : "↓"} ${
      Math.round(100 * x.share)
    } % ${name}</div>`;
  });
  const more = outside.length > 3 ? ` <span class="muted">+${outside.length - 3}</span>` : "";
  return shown.join("") + more;
}

/** How many episodes ran outside training, and how many of those with no culprit outside (extrapolation). */
function outsideNote(episodes: EpisodeRecord[], outside: Map<number, OutsideTraining[]>): string {
  const { any, others } = countOutside(
    episodes.map((e) => ({ culprits: e.culprits, outside: outside.get(e.episode_id) ?? [] })),
  );
  if (any === 0) return "";
  return ` <b>Outside training</b>: sensors whose readings lay beyond their training range (p01–p99 widened by a quarter of its width) on ${
    Math.round(100 * MIN_SHARE)
  } % or more of the episode's rows; culprits in bold. ${any} of ${episodes.length} episode(s) ran there${
    others > 0
      ? `, ${others} of them with none of their culprits outside: the load or the season moved beyond what the model was trained on and its expected values extrapolate. If that operating point is normal, retrain on data that covers it`
      : ""
  }. A culprit outside its own range is often the fault itself.`;
}

function episodeTable(o: AssetOutputs): string {
  const episodes = o.episodes;
  if (episodes.length === 0) return `<p class="muted">No episodes.</p>`;
  const cases = episodeCases(episodes);
  const caseSize = new Map<number, number>();
  for (const c of cases.values()) caseSize.set(c, (caseSize.get(c) ?? 0) + 1);
  const sorted = ascending(o.t);
  const prefix = sharedPrefix([
    ...new Set([
      ...Object.keys(o.trainRanges),
      ...episodes.flatMap((e) => e.culprits.map((c) => c.sensor)),
    ]),
  ]);
  // With one head (the default's condition model) its column would say the same on every row.
  const oneHead = Object.keys(o.heads).length === 1 &&
    episodes.every((e) => e.detector === episodes[0].detector);
  const outside = new Map<number, OutsideTraining[]>();
  if (o.sensors) {
    for (const e of episodes) {
      const start = parseIso(e.start), end = parseIso(e.end || e.start);
      outside.set(e.episode_id, outsideTraining(o.sensors, o.trainRanges, start, end));
    }
  }
  const rows = [...episodes].reverse().map((e) => {
    const c = cases.get(e.episode_id) ?? 0;
    const start = parseIso(e.start), end = parseIso(e.end || e.start);
    const sig = dominantLabel(o.t, o.signature, start, end, sorted);
    return `<tr class="${
      e.open ? "open" : ""
    }" data-episode="${e.episode_id}" data-case="${c}"><td class="num">#${e.episode_id}</td><td class="num">${c}${
      (caseSize.get(c) ?? 0) > 1 ? ` <span class="muted">(${caseSize.get(c)})</span>` : ""
    }</td><td>${esc(showTime(e.start))}</td><td>${
      e.open ? "<b>open</b>" : esc(showTime(e.end))
    }</td><td class="num">${humanDuration(e.duration_s)}</td><td class="num">${
      fmt(e.peak_z)
    }</td><td>${
      pill(e.severity, SEVERITY_COLOR[e.severity] ?? "#888")
    }</td><td class="num col-regime">${e.regime < 0 ? "–" : e.regime}</td>${
      oneHead ? "" : `<td class="col-head">${esc(e.detector)}</td>`
    }<td>${sig ? esc(signatureWords(sig)) : `<span class="muted">–</span>`}</td><td class="num">${
      deviationCell(o, e, start, end)
    }</td><td>${outsideCell(e, outside.get(e.episode_id) ?? [], prefix)}</td><td>${
      culpritBars(e, o.sensorInfo, prefix)
    }</td></tr>`;
  }).join("");
  return `${
    caseTable(o, cases)
  }<p class="note">Signature: the most frequent fault signature of the top culprit over the episode's rows. The number in brackets after a case is how many episodes it has. Deviation: the median over the episode's rows of the top culprit's actual − expected value, in its unit and against its expected value (the condition model's peak z sits at its cap for any sustained fault; this says how far off the sensor was).${
    outsideNote(episodes, outside)
  }${
    prefix
      ? ` Sensor names leave out the prefix they all share, <code>${
        esc(prefix)
      }</code>; hover over a name for the full one.`
      : ""
  }</p><table class="episodes"><thead><tr><th>#</th><th>case</th><th>start</th><th>end</th><th>duration</th><th>peak z</th><th>severity</th><th class="col-regime">regime</th>${
    oneHead ? "" : `<th class="col-head">top head</th>`
  }<th>signature</th><th>deviation</th><th>outside training</th><th>culprit sensors (share of contribution)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sliceWindow(t: Float64Array, a: number, b: number): [number, number] {
  let i = 0;
  while (i < t.length && t[i] < a) i++;
  let j = i;
  while (j < t.length && t[j] <= b) j++;
  return [i, j];
}

/**
 * The `top` episodes whose traces are drawn: open ones first (what is wrong now),
 * then by peak z, then the latest — the condition model's peak z sits at its cap
 * for any sustained fault, so on ties the recent episodes are shown, not the oldest.
 */
export function topEpisodes(episodes: readonly EpisodeRecord[], top: number): EpisodeRecord[] {
  // Peaks within a rounding error of each other tie (6.750000000000001 and 6.75 are both the cap).
  const higher = (
    a: number,
    b: number,
  ) => (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a)) ? b - a : 0);
  return [...episodes].sort((a, b) =>
    Number(b.open) - Number(a.open) || higher(a.peak_z, b.peak_z) ||
    (a.start < b.start ? 1 : a.start > b.start ? -1 : 0)
  ).slice(0, top);
}

function traces(o: AssetOutputs, top: number, perEpisode: number): string {
  if (!o.sensors || o.episodes.length === 0) return "";
  const chosen = topEpisodes(o.episodes, top);
  const sensors = o.sensors;
  const blocks = chosen.map((e) => {
    const a = parseIso(e.start), b = parseIso(e.end);
    const span = Math.max(b - a, 1);
    const step = sensors.t.length > 1
      ? (sensors.t[sensors.t.length - 1] - sensors.t[0]) / (sensors.t.length - 1)
      : 0;
    const pad = Math.max(span, 24 * step);
    const window: [number, number] = [a - pad, b + pad];
    const [i, j] = sliceWindow(sensors.t, window[0], window[1]);
    const charts = e.culprits.slice(0, perEpisode).filter((c) => sensors.values[c.sensor]).map((
      c,
    ) =>
      `<div><h3 title="${esc(sensorTitle(c.sensor, o.sensorInfo[c.sensor]))}">${
        esc(c.sensor)
      } <span class="muted">${fmt(c.pct, 3)}%${
        o.sensorInfo[c.sensor]?.description ? ` · ${esc(o.sensorInfo[c.sensor].description!)}` : ""
      }</span></h3>${
        traceChart(
          c.sensor,
          sensors.t.subarray(i, j),
          sensors.values[c.sensor].subarray(i, j),
          o.trainRanges[c.sensor],
          e,
          window,
          o.sensorInfo[c.sensor],
        )
      }</div>`
    ).join("");
    return `<h3 style="margin-top:12px">Episode #${e.episode_id} — ${esc(showTime(e.start))} → ${
      e.open ? "open" : esc(showTime(e.end))
    } — peak z ${fmt(e.peak_z)} (${esc(e.severity)})</h3>` +
      (charts
        ? `<div class="traces">${charts}</div>`
        : `<p class="muted">No sensor values stored for its culprits.</p>`);
  }).join("");
  return `<section class="card" id="traces"><h2>Culprit sensors around the top episodes</h2>
<p class="note">The episodes shown: open ones first, then by peak z, then the latest. Raw sensor values around each episode (shaded). Blue band: the model's training range (p01–p99), dashed line: training median; purple dashed: the sensor's limits (sensor metadata).</p>${blocks}</section>`;
}

function heldNote(held: { envelope: FlagRun[]; transient: FlagRun[] }): string {
  const rows = (r: FlagRun[]) => r.reduce((k, x) => k + x.rows, 0);
  const parts: string[] = [];
  if (held.envelope.length) {
    parts.push(
      `<b>grey</b>: ${
        rows(held.envelope)
      } rows in ${held.envelope.length} period(s) outside the operating envelope — the model has not seen this operating point, so a high z there is held (no episode) rather than trusted as a fault`,
    );
  }
  if (held.transient.length) {
    parts.push(
      `<b>hatched</b>: ${
        rows(held.transient)
      } rows in ${held.transient.length} transient period(s) (start-up / shut-down), alarms held`,
    );
  }
  return parts.length ? `<p class="note held-note">${parts.join("; ")}.</p>` : "";
}

/** The outputs the report was drawn from, as the footer names them. */
function readFrom(o: AssetOutputs): string {
  const files = ["scores.csv", "episodes.csv"];
  if (o.expected) files.push("expected.csv");
  if (o.sensorsFrom === "sensors.csv") files.push("sensors.csv");
  files.push("data_quality.json", "training.json");
  const here = `${files.slice(0, -1).join(", ")} and ${files[files.length - 1]} in this folder`;
  return o.sensorsFrom === "chunk files"
    ? `${here}, with the sensor values from the chunk files the replay read`
    : here;
}

/** Renders the report of one asset as a complete HTML page. */
export function renderAssetReport(o: AssetOutputs, opts: AssetReportOptions = {}): string {
  const st = assetStatus(o.summary, o.episodes, o.thresholds);
  const th = o.thresholds;
  const n = o.t.length;
  const held = { envelope: flagRuns(o.t, o.envelope), transient: flagRuns(o.t, o.transient) };
  const span = n
    ? `${showTime(formatTimestamp(o.t[0]))} → ${showTime(formatTimestamp(o.t[n - 1]))}`
    : "–";
  const facts = [
    ["period", span],
    ["rows", String(n)],
    ["chunks", String(o.summary.chunks || o.quality.length)],
    ["model version", String(o.summary.modelVersion || "–")],
    ["health now", fmtHealth(st.health)],
    ["episodes", `${o.episodes.length} (${st.openEpisodes} open)`],
    ["worst peak z", fmt(st.worstPeak)],
  ].map(([k, v]) => `<span>${k} <b>${esc(v)}</b></span>`).join("");
  const explore = n === 0 ? { html: "", scripts: [], css: "" } : explorerSection(o);
  const body = n === 0
    ? `<section class="card"><p class="muted">No scored rows yet.</p></section>`
    : `<section class="card" id="fused"><h2>Fused anomaly score</h2>
<p class="note">Episodes are shaded by severity (<span style="color:${SEVERITY_COLOR.info}">info</span>, <span style="color:${SEVERITY_COLOR.warning}">warning ≥ ${
      fmt(th.warning_z)
    }</span>, <span style="color:${SEVERITY_COLOR.critical}">critical ≥ ${
      fmt(th.critical_z)
    }</span>); the dashed line is the alarm threshold.</p>${
      fusedChart(o.t, o.fused, o.episodes, th, held)
    }${heldNote(held)}</section>
<section class="card" id="episodes"><h2>Episodes</h2>${episodeTable(o)}</section>
${traces(o, opts.topEpisodes ?? 3, opts.tracesPerEpisode ?? 3)}
${explore.html}
${sensorBrowser(o, held)}
<section class="card" id="heads"><h2>Detector heads (calibrated z)</h2>${
      headStrips(o.t, o.heads, o.episodes, th)
    }</section>
<section class="card" id="regimes"><h2>Operating regime</h2>${
      regimeTimeline(o.t, o.regime)
    }</section>
<section class="card" id="health"><h2>Health index</h2>${healthChart(o.t, o.health, th)}</section>`;
  return page(
    `${o.asset} — ${st.status}`,
    `<header><h1>${esc(o.asset)} ${pill(st.status, STATUS_COLOR[st.status])}</h1>
<p class="headline" id="headline">${esc(st.headline)}</p><div class="facts">${facts}</div></header>
${body}
${renderQuality(o)}
<footer>Generated by acm from ${
      esc(readFrom(o))
    }. <a href="../index.html">Fleet index</a></footer>`,
    explore.scripts,
    explore.css,
  );
}

/** Reads the outputs in `assetDir` and writes `<assetDir>/report.html` atomically; returns its path. */
export async function writeAssetReport(
  assetDir: string,
  opts: AssetReportOptions = {},
): Promise<string> {
  const outputs = await readAssetOutputs(assetDir, { traces: opts.traces });
  const path = `${assetDir}/report.html`;
  await atomicWriteText(path, renderAssetReport(outputs, opts));
  return path;
}
