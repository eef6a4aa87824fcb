/**
 * The report's case table: the grouping rule in words (cases.ts) and one row
 * per case of several episodes — its episodes, first start, last end, peak z,
 * worst severity and main culprits (largest summed share).
 */
import type { EpisodeRecord } from "../io/records.ts";
import { CASE_RULE_TEXT } from "./cases.ts";
import { pill } from "./page.ts";
import { SEVERITY_COLOR } from "./palette.ts";
import type { AssetOutputs } from "./read_outputs.ts";
import { sensorTitle } from "./sensor_labels.ts";
import { esc, fmt, showTime } from "./svg.ts";

const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/** One row per case with more than one episode: its episodes, span, worst severity and culprits. */
export function caseTable(o: AssetOutputs, cases: Map<number, number>): string {
  const groups = new Map<number, EpisodeRecord[]>();
  for (const e of o.episodes) {
    const c = cases.get(e.episode_id) ?? 0;
    groups.set(c, [...(groups.get(c) ?? []), e]);
  }
  const multi = [...groups].filter(([, list]) => list.length > 1).reverse();
  const rule = `<p class="note">Case: ${CASE_RULE_TEXT}. ${groups.size} case${
    groups.size === 1 ? "" : "s"
  } from ${o.episodes.length} episode${o.episodes.length === 1 ? "" : "s"}${
    multi.length ? "; the cases with several episodes:" : "."
  }</p>`;
  if (multi.length === 0) return rule;
  const rows = multi.map(([c, list]) => {
    const worst = list.reduce((a, b) =>
      (SEVERITY_RANK[b.severity] ?? 0) > (SEVERITY_RANK[a.severity] ?? 0) ? b : a
    );
    const share = new Map<string, number>();
    for (const e of list) {
      for (const k of e.culprits) share.set(k.sensor, (share.get(k.sensor) ?? 0) + k.pct);
    }
    const top = [...share].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n]) =>
      `<span title="${esc(sensorTitle(n, o.sensorInfo[n]))}">${esc(n)}</span>`
    ).join(", ");
    const last = list[list.length - 1];
    const peak = Math.max(...list.map((e) => e.peak_z));
    return `<tr data-case="${c}"><td class="num">${c}</td><td>${
      list.map((e) => `#${e.episode_id}`).join(" ")
    }</td><td>${esc(showTime(list[0].start))}</td><td>${
      last.open ? "<b>open</b>" : esc(showTime(last.end))
    }</td><td class="num">${fmt(peak)}</td><td>${
      pill(worst.severity, SEVERITY_COLOR[worst.severity] ?? "#888")
    }</td><td>${top}</td></tr>`;
  }).join("");
  return `${rule}<table class="cases"><thead><tr><th>case</th><th>episodes</th><th>first start</th><th>last end</th><th>peak z</th><th>worst</th><th>main culprits</th></tr></thead><tbody>${rows}</tbody></table>`;
}
