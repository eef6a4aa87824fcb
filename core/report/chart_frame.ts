/**
 * The frame every report chart shares: an SVG of fixed viewBox width with
 * margins, a time axis, a value axis with gridlines, and episode shading.
 */
import type { EpisodeRecord } from "../io/records.ts";
import { parseIso } from "./read_outputs.ts";
import { SEVERITY_COLOR } from "./palette.ts";
import { esc, fmt, niceTicks, px, scale, showTime, timeTicks } from "./svg.ts";

/** Geometry and scales of one chart. */
export interface ChartFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  sx: (t: number) => number;
  sy: (v: number) => number;
  t0: number;
  t1: number;
  y0: number;
  y1: number;
}

/** Builds the frame of a chart over [t0, t1] × [y0, y1]. */
export function chartFrame(
  o: { width: number; height: number; t0: number; t1: number; y0: number; y1: number },
  margin: { left?: number; right?: number; top?: number; bottom?: number } = {},
): ChartFrame {
  const left = margin.left ?? 52, right = o.width - (margin.right ?? 14);
  const top = margin.top ?? 10, bottom = o.height - (margin.bottom ?? 24);
  return {
    ...o,
    left,
    right,
    top,
    bottom,
    sx: scale(o.t0, o.t1, left, right),
    sy: scale(o.y0, o.y1, bottom, top),
  };
}

/** Opens an <svg> for a frame (responsive width, fixed aspect). */
export function svgOpen(f: ChartFrame, label: string, cls = "chart"): string {
  return `<svg class="${cls}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${
    esc(label)
  }">`;
}

/** Time gridlines and labels along the bottom. */
export function timeAxis(f: ChartFrame, labels = true): string {
  let s = "";
  for (const tick of timeTicks(f.t0, f.t1, Math.max(2, Math.floor((f.right - f.left) / 150)))) {
    const x = px(f.sx(tick.t));
    s += `<line class="grid" x1="${x}" x2="${x}" y1="${f.top}" y2="${f.bottom}"/>`;
    if (labels) {
      // Ticks near either end are anchored inwards so their label is not cut off.
      const xv = f.sx(tick.t);
      const anchor = xv > f.right - 36 ? "end" : xv < f.left + 36 ? "start" : "middle";
      s += `<text class="tick" x="${x}" y="${f.bottom + 15}" text-anchor="${anchor}">${
        esc(tick.label)
      }</text>`;
    }
  }
  return s +
    `<line class="axis" x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}"/>`;
}

/** Value gridlines and labels along the left, with an optional axis title (quantity and unit). */
export function valueAxis(f: ChartFrame, count = 4, title = ""): string {
  let s = "";
  if (title) {
    const cy = (f.top + f.bottom) / 2;
    s += `<text class="axis-title" x="12" y="${
      px(cy)
    }" text-anchor="middle" transform="rotate(-90 12 ${px(cy)})">${esc(title)}</text>`;
  }
  for (const v of niceTicks(f.y0, f.y1, count)) {
    const y = px(f.sy(v));
    s += `<line class="grid" x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}"/>` +
      `<text class="tick" x="${f.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${
        fmt(v, 4)
      }</text>`;
  }
  return s;
}

/** Shaded spans of episodes (colour by severity), each with a hover title; optional id labels. */
export function episodeShading(
  f: ChartFrame,
  episodes: readonly EpisodeRecord[],
  labels = false,
): string {
  let s = "";
  let lastLabel = -Infinity;
  for (const e of episodes) {
    const a = parseIso(e.start), b = parseIso(e.end);
    if (b < f.t0 || a > f.t1) continue;
    const x0 = f.sx(Math.max(a, f.t0)), x1 = f.sx(Math.min(b, f.t1));
    const w = Math.max(2, x1 - x0);
    const color = SEVERITY_COLOR[e.severity] ?? "#999";
    s += `<rect class="episode" data-episode="${e.episode_id}" x="${px(x0)}" y="${f.top}" width="${
      px(w)
    }" height="${
      px(f.bottom - f.top)
    }" fill="${color}" fill-opacity="0.2"><title>Episode #${e.episode_id} (${e.severity}) ${
      esc(showTime(e.start))
    } → ${esc(showTime(e.end))}, peak z ${fmt(e.peak_z)}</title></rect>`;
    // A label closer than 30 px to the previous one would overprint it ("#4#5#6"): skipped,
    // the episode keeps its hover title and its row in the table.
    if (labels && x0 + w / 2 - lastLabel >= 30) {
      lastLabel = x0 + w / 2;
      s += `<text class="ep-label" x="${px(x0 + w / 2)}" y="${
        f.top + 11
      }" text-anchor="middle" fill="${color}">#${e.episode_id}</text>`;
    }
  }
  return s;
}

/** A horizontal threshold line (its label is drawn separately, over the series: thresholdLabel). */
export function thresholdLine(f: ChartFrame, v: number, _label: string, color: string): string {
  if (!(v >= f.y0 && v <= f.y1)) return "";
  const y = px(f.sy(v));
  return `<line class="threshold" x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="${color}"/>`;
}

/** The label of a threshold line at its right end, with a white halo; draw it after the series. */
export function thresholdLabel(f: ChartFrame, v: number, label: string, color: string): string {
  if (!label || !(v >= f.y0 && v <= f.y1)) return "";
  const y = px(f.sy(v));
  return `<text class="th-label" x="${
    f.right - 4
  }" y="${y}" dy="-0.35em" text-anchor="end" fill="${color}">${esc(label)}</text>`;
}
