/**
 * The fleet episode timeline: one lane per asset over the fleet's whole time
 * span, each episode a bar coloured by severity (at least 2 px wide so a short
 * one stays visible), the asset's data span as a thin grey line, so a failed or
 * stale asset shows where its data stops.
 */
import type { EpisodeRecord } from "../io/records.ts";
import { chartFrame, svgOpen, timeAxis } from "./chart_frame.ts";
import { SEVERITY_COLOR } from "./palette.ts";
import { parseIso } from "./read_outputs.ts";
import { esc, fmt, px, showTime } from "./svg.ts";

/** One lane of the timeline. */
export interface TimelineLane {
  asset: string;
  first: string;
  last: string;
  episodes: readonly EpisodeRecord[];
}

const LANE = 22;
const LABEL = 150;

/** The timeline as an inline SVG ("" when no lane has data). */
export function fleetTimeline(lanes: readonly TimelineLane[]): string {
  const spans = lanes.filter((l) => l.first && l.last);
  if (spans.length === 0) return "";
  const t0 = Math.min(...spans.map((l) => parseIso(l.first)));
  const t1 = Math.max(...spans.map((l) => parseIso(l.last)));
  const f = chartFrame(
    {
      width: 1100,
      height: 30 + LANE * lanes.length,
      t0,
      t1: t1 > t0 ? t1 : t0 + 86_400_000,
      y0: 0,
      y1: 1,
    },
    { left: LABEL, right: 40, top: 4, bottom: 24 },
  );
  let s = "";
  lanes.forEach((l, k) => {
    const y = f.top + k * LANE;
    const mid = y + LANE / 2;
    s += `<text class="lane" x="${LABEL - 8}" y="${mid + 4}" text-anchor="end">${
      esc(l.asset)
    }</text>`;
    if (l.first && l.last) {
      s += `<line x1="${px(f.sx(parseIso(l.first)))}" x2="${
        px(f.sx(parseIso(l.last)))
      }" y1="${mid}" y2="${mid}" stroke="#bbb" stroke-width="2"/>`;
    }
    for (const e of l.episodes) {
      const a = f.sx(parseIso(e.start)), b = f.sx(parseIso(e.end || l.last));
      const w = Math.max(2, b - a);
      s += `<rect x="${px(a)}" y="${y + 4}" width="${px(w)}" height="${LANE - 8}" fill="${
        SEVERITY_COLOR[e.severity] ?? "#888"
      }"><title>${esc(l.asset)} #${e.episode_id} ${esc(showTime(e.start))} → ${
        e.open ? "open" : esc(showTime(e.end))
      } — peak z ${fmt(e.peak_z)} (${esc(e.severity)})</title></rect>`;
    }
  });
  return svgOpen(f, "Episodes of every asset over time", "chart fleet-timeline") + timeAxis(f) + s +
    `</svg>`;
}
