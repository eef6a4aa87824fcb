/**
 * The report's charts as inline SVG strings: fused z with threshold and
 * episodes, one strip per detector head, regime timeline, health with zones,
 * and a sensor trace against its training range. Long series are min/max
 * downsampled to the chart's pixel width first.
 */
import type { SensorInfo } from "../sensor_metadata/load.ts";
import { limitLabels, limitLines, limitValues } from "./sensor_labels.ts";
import type { EpisodeRecord } from "../io/records.ts";
import {
  type ChartFrame,
  chartFrame,
  episodeShading,
  svgOpen,
  thresholdLabel,
  thresholdLine,
  timeAxis,
  valueAxis,
} from "./chart_frame.ts";
import { findGaps } from "./data_gaps.ts";
import { type FlagRun, heldShading } from "./held_shading.ts";
import { bucketEnds, drawnGapLimit, minMaxDownsample, type XY } from "./downsample.ts";
import { OKABE_ITO, regimeColor, SERIES } from "./palette.ts";
import { esc, fmt, linePath, px } from "./svg.ts";
import type { ReportThresholds } from "./thresholds.ts";

/** Width of the main charts' viewBox (px). */
export const CHART_WIDTH = 1100;

function extent(y: Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Typical gap between rows, so a line breaks over real data gaps (> 5 × median step). */
function gapLimit(t: Float64Array): number {
  if (t.length < 3) return Infinity;
  const steps: number[] = [];
  const stride = Math.max(1, Math.floor(t.length / 500));
  for (let i = stride; i < t.length; i += stride) steps.push((t[i] - t[i - stride]) / stride);
  steps.sort((a, b) => a - b);
  return Math.max(1, steps[steps.length >> 1]) * 5;
}

/** What seriesPath() derives from a time axis alone: made once for many series on that axis. */
export interface TimeGrid {
  t: Float64Array;
  buckets: number;
  /** bucketEnds(t, buckets). */
  ends: Int32Array | null;
  /** The gap limit between drawn points. */
  gap: number;
}

/** The grid of series drawn over `t` in a frame `buckets` pixel columns wide. */
export function timeGrid(t: Float64Array, buckets: number): TimeGrid {
  return { t, buckets, ends: bucketEnds(t, buckets), gap: drawnGapLimit(t, buckets, gapLimit(t)) };
}

/**
 * The path of `y` over `t` in frame `f`: min/max downsampled to one bucket per
 * pixel column, the pen lifted only over real gaps. The gap limit applies to the
 * points that are drawn: after downsampling two neighbours can be up to two
 * buckets apart with no data missing, so the limit is the larger of the raw
 * limit and two bucket widths (a hole narrower than that is under 2 px anyway).
 * `grid` (timeGrid(t, width of f)) saves recomputing what depends on `t` alone.
 */
export function seriesPath(
  t: Float64Array,
  y: Float64Array,
  f: ChartFrame,
  grid?: TimeGrid,
): string {
  const buckets = Math.round(f.right - f.left);
  const g = grid && grid.t === t && grid.buckets === buckets ? grid : timeGrid(t, buckets);
  const d = minMaxDownsample(t, y, buckets, g.ends);
  return linePath(d.x, d.y, f.sx, f.sy, g.gap);
}

/** The path of points already downsampled on `grid` (minMaxDownsample with its ends), in frame `f`. */
export function drawnPath(d: XY, f: ChartFrame, grid: TimeGrid): string {
  return linePath(d.x, d.y, f.sx, f.sy, grid.gap);
}

/** Fused z over time, the alarm threshold (on_z) and episodes shaded by severity. */
export function fusedChart(
  t: Float64Array,
  fused: Float64Array,
  episodes: readonly EpisodeRecord[],
  th: ReportThresholds,
  held: { envelope: readonly FlagRun[]; transient: readonly FlagRun[] } = {
    envelope: [],
    transient: [],
  },
): string {
  const [lo, hi] = extent(fused);
  const f = chartFrame({
    width: CHART_WIDTH,
    height: 280,
    t0: t[0],
    t1: t[t.length - 1],
    y0: Math.min(0, lo),
    y1: Math.max(th.on_z * 1.25, hi * 1.05),
  });
  return svgOpen(f, "Fused anomaly score over time", "chart fused-chart") +
    valueAxis(f, 5, "fused z (σ)") +
    timeAxis(f) + heldShading(f, held.envelope, "envelope") +
    heldShading(f, held.transient, "transient") + episodeShading(f, episodes, true) +
    thresholdLine(f, th.on_z, `alarm threshold z = ${fmt(th.on_z)}`, OKABE_ITO.vermillion) +
    `<path class="series" d="${seriesPath(t, fused, f)}" stroke="${OKABE_ITO.blue}"/>` +
    thresholdLabel(f, th.on_z, `alarm threshold z = ${fmt(th.on_z)}`, OKABE_ITO.vermillion) +
    `</svg>`;
}

/** One thin strip per detector head (calibrated z), sharing the time axis. */
export function headStrips(
  t: Float64Array,
  heads: Record<string, Float64Array>,
  episodes: readonly EpisodeRecord[],
  th: ReportThresholds,
): string {
  const names = Object.keys(heads);
  let grid: TimeGrid | undefined; // every strip has the same width
  return names.map((h, k) => {
    const [, hi] = extent(heads[h]);
    const last = k === names.length - 1;
    const f = chartFrame(
      {
        width: CHART_WIDTH,
        height: last ? 78 : 58,
        t0: t[0],
        t1: t[t.length - 1],
        y0: 0,
        y1: Math.max(th.on_z * 1.25, hi),
      },
      { top: 6, bottom: last ? 24 : 4 },
    );
    return `<div class="strip"><div class="strip-label"><b>${esc(h)}</b><span>max z ${
      fmt(hi)
    }</span></div>` + svgOpen(f, `Detector head ${h}`, "chart head-strip") + valueAxis(f, 2) +
      timeAxis(f, last) + episodeShading(f, episodes) +
      thresholdLine(f, th.on_z, "", OKABE_ITO.vermillion) +
      `<path class="series thin" d="${
        seriesPath(t, heads[h], f, grid ??= timeGrid(t, Math.round(f.right - f.left)))
      }" stroke="${SERIES[k % SERIES.length]}"/></svg></div>`;
  }).join("");
}

/** Regime label per pixel column, drawn as coloured runs with a legend. */
export function regimeTimeline(t: Float64Array, regime: Int32Array): string {
  const f = chartFrame({
    width: CHART_WIDTH,
    height: 58,
    t0: t[0],
    t1: t[t.length - 1],
    y0: 0,
    y1: 1,
  }, {
    top: 4,
    bottom: 24,
  });
  const cols = Math.round(f.right - f.left);
  const label = new Int32Array(cols).fill(-2);
  for (let i = 0; i < t.length; i++) {
    const c = Math.min(cols - 1, Math.max(0, Math.floor(f.sx(t[i]) - f.left)));
    if (label[c] === -2) label[c] = regime[i];
  }
  // Columns wholly inside a data gap stay blank (-3); other empty columns take their left neighbour.
  for (const g of findGaps(t, 5, Infinity).gaps) {
    const a = Math.ceil(f.sx(g.from) - f.left) + 1, b = Math.floor(f.sx(g.to) - f.left) - 1;
    for (let c = Math.max(0, a); c <= Math.min(cols - 1, b); c++) label[c] = -3;
  }
  for (let c = 1; c < cols; c++) if (label[c] === -2) label[c] = label[c - 1];
  let s = "";
  const seen = new Set<number>();
  for (let c = 0; c < cols;) {
    let e = c + 1;
    while (e < cols && label[e] === label[c]) e++;
    if (label[c] > -2) {
      seen.add(label[c]);
      s += `<rect x="${f.left + c}" y="${f.top}" width="${e - c}" height="${
        f.bottom - f.top
      }" fill="${regimeColor(label[c])}"/>`;
    }
    c = e;
  }
  const legend = [...seen].sort((a, b) => a - b).map((r) =>
    `<span class="key"><i style="background:${regimeColor(r)}"></i>${
      r < 0 ? "unassigned" : `regime ${r}`
    }</span>`
  ).join("");
  return svgOpen(f, "Operating regime over time", "chart regime-chart") + s + timeAxis(f) +
    `</svg><div class="legend">${legend}</div>`;
}

/** Health index over time on its GOOD / WATCH / ALERT zone bands. */
export function healthChart(t: Float64Array, health: Float64Array, th: ReportThresholds): string {
  const f = chartFrame({
    width: CHART_WIDTH,
    height: 190,
    t0: t[0],
    t1: t[t.length - 1],
    y0: 0,
    y1: 100,
  });
  const band = (a: number, b: number, color: string) =>
    `<rect x="${f.left}" width="${f.right - f.left}" y="${px(f.sy(b))}" height="${
      px(f.sy(a) - f.sy(b))
    }" fill="${color}" fill-opacity="0.13"/>`;
  // Zone names are drawn after the series (with a halo) so the trace never hides them.
  const zoneLabel = (b: number, color: string, name: string) =>
    `<text class="zone" x="${f.right - 4}" y="${
      px(f.sy(b) + 12)
    }" text-anchor="end" fill="${color}">${name}</text>`;
  return svgOpen(f, "Health index over time", "chart health-chart") +
    band(th.watch_below, 100, OKABE_ITO.green) +
    band(th.alert_below, th.watch_below, OKABE_ITO.orange) +
    band(0, th.alert_below, OKABE_ITO.vermillion) + valueAxis(f, 4, "health (0–100)") +
    timeAxis(f) +
    `<path class="series" d="${seriesPath(t, health, f)}" stroke="${OKABE_ITO.black}"/>` +
    zoneLabel(100, OKABE_ITO.green, "GOOD") + zoneLabel(th.watch_below, OKABE_ITO.orange, "WATCH") +
    zoneLabel(th.alert_below, OKABE_ITO.vermillion, "ALERT") + `</svg>`;
}

/** A raw sensor around an episode against its training band (p01–p99, median dashed). */
export function traceChart(
  name: string,
  t: Float64Array,
  y: Float64Array,
  range: [number, number, number] | undefined,
  episode: EpisodeRecord,
  window: [number, number],
  info?: SensorInfo,
): string {
  const [lo, hi] = extent(y);
  const lim = limitValues(info);
  const ylo = Math.min(lo, range?.[0] ?? lo, ...lim), yhi = Math.max(hi, range?.[2] ?? hi, ...lim);
  const pad = (yhi - ylo) * 0.08 || 1;
  const f = chartFrame({
    width: 540,
    height: 170,
    t0: window[0],
    t1: window[1],
    y0: ylo - pad,
    y1: yhi + pad,
  }, {
    left: 56,
  });
  let band = "";
  if (range && Number.isFinite(range[0]) && Number.isFinite(range[2])) {
    band =
      `<rect class="train-band" x="${f.left}" width="${f.right - f.left}" y="${
        px(f.sy(range[2]))
      }" height="${px(Math.max(1, f.sy(range[0]) - f.sy(range[2])))}"><title>training p01–p99: ${
        fmt(range[0], 4)
      } – ${fmt(range[2], 4)}</title></rect>` +
      `<line class="train-median" x1="${f.left}" x2="${f.right}" y1="${px(f.sy(range[1]))}" y2="${
        px(f.sy(range[1]))
      }"/>`;
  }
  return svgOpen(f, `Sensor ${name} around episode ${episode.episode_id}`, "chart trace-chart") +
    band + valueAxis(f, 3, info?.unit ? `[${info.unit}]` : "") + timeAxis(f) +
    episodeShading(f, [episode]) + limitLines(f, info) +
    `<path class="series" d="${seriesPath(t, y, f)}" stroke="${OKABE_ITO.black}"/>` +
    limitLabels(f, info) + `</svg>`;
}
