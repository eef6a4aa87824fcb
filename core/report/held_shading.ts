/**
 * Periods where alarms are held, shaded on the time charts: outside the
 * operating envelope (scores.csv `envelope` = 1: the model has not seen this
 * operating point, so a high z is not trusted as a fault) and transients
 * (`transient` = 1: start-up / shut-down). Older outputs without the columns
 * read as all 0 and draw nothing.
 */
import type { ChartFrame } from "./chart_frame.ts";
import { esc, humanDuration, px, showTime } from "./svg.ts";
import { formatTimestamp } from "../frame.ts";

/** A run of flagged rows [from, to] (epoch ms of the first and last row). */
export interface FlagRun {
  from: number;
  to: number;
  rows: number;
}

/** Runs of consecutive rows with `flag` = 1. */
export function flagRuns(t: Float64Array, flag: Uint8Array): FlagRun[] {
  const out: FlagRun[] = [];
  for (let i = 0; i < flag.length;) {
    if (flag[i] !== 1) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < flag.length && flag[j + 1] === 1) j++;
    out.push({ from: t[i], to: t[j], rows: j - i + 1 });
    i = j + 1;
  }
  return out;
}

/** Hatched/grey rectangles for the runs in a chart frame (each ≥ 1 px, with a hover title). */
export function heldShading(
  f: ChartFrame,
  runs: readonly FlagRun[],
  kind: "envelope" | "transient",
): string {
  const what = kind === "envelope"
    ? "outside the operating envelope — alarms held"
    : "transient (start-up / shut-down) — alarms held";
  return runs.filter((r) => r.to >= f.t0 && r.from <= f.t1).map((r) => {
    const a = f.sx(Math.max(r.from, f.t0)), b = f.sx(Math.min(r.to, f.t1));
    return `<rect class="held ${kind}" x="${px(a)}" y="${f.top}" width="${
      px(Math.max(1, b - a))
    }" height="${px(f.bottom - f.top)}"><title>${esc(what)}: ${
      esc(showTime(formatTimestamp(r.from)))
    } → ${esc(showTime(formatTimestamp(r.to)))} (${r.rows} rows, ${
      humanDuration((r.to - r.from) / 1000)
    })</title></rect>`;
  }).join("");
}
