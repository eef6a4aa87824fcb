/**
 * The demo's closing text: where the outputs are, then one table row per
 * injected fault (found or not, delay, culprits) and the false alarms.
 */
import { formatDuration, formatWindow } from "./match_faults.ts";
import type { DemoResult } from "./demo.ts";

/** Left-aligns a table of strings (first row = header). */
export function alignTable(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => (r[j] ?? "").length)));
  return rows.map((r) => r.map((c, j) => (c ?? "").padEnd(widths[j])).join("  ").trimEnd());
}

/**
 * False alarms in the training window (scored on the data the model was fitted on)
 * and those touching a planned stop (−1 h … +2 h: shut-down, idle, start-up ramp).
 */
export function classifyFalseAlarms(result: DemoResult): { training: number; nearStop: number } {
  const H = 3_600_000;
  let training = 0, nearStop = 0;
  for (const e of result.report.falseAlarms) {
    if (e.start < result.fleet.trainEnd) training++;
    const stops = result.fleet.assets.find((a) => a.name === e.asset)?.stops ?? [];
    if (stops.some(([s, t]) => e.start <= t + 2 * H && e.end >= s - H)) nearStop++;
  }
  return { training, nearStop };
}

/** The closing lines of `acm demo`. */
export function formatDemoReport(result: DemoResult): string[] {
  const lines: string[] = ["", "outputs"];
  for (const [asset, files] of Object.entries(result.outputs)) {
    const names = files.map((f) => f.slice(f.lastIndexOf("/") + 1));
    const shown = names.slice(0, 4).join(", ") +
      (names.length > 4 ? `, +${names.length - 4} more` : "");
    lines.push(
      `  ${asset.padEnd(10)} ${result.artifactRoot}/${asset}/  ${shown || "(nothing written)"}`,
    );
  }
  const r = result.report;
  lines.push(
    "",
    `injected faults: ${r.found} of ${r.total} found, affected sensor among the top culprits for ${r.culpritHits}`,
  );
  const rows = [[
    "asset",
    "fault",
    "window",
    "detected",
    "delay",
    "culprits (✓ = affected sensor)",
  ]];
  for (const m of r.matches) {
    const f = m.fault;
    rows.push([
      f.asset,
      f.kind,
      formatWindow(f.start, f.end),
      m.detected ? `yes (${m.episodeIds.length} ep)` : "no",
      m.delayMs === null ? "-" : formatDuration(m.delayMs),
      m.culprits.slice(0, 3).map((c) => (f.sensors.includes(c) ? `${c} ✓` : c)).join(", ") ||
      (m.detected ? "(none)" : `expected ${f.sensors.join(", ")}`),
    ]);
  }
  lines.push(...alignTable(rows).map((l) => `  ${l}`));
  const fa = r.falseAlarms;
  if (fa.length === 0) {
    lines.push("", "false alarms: none (no episode outside an injected fault window)");
  } else {
    const per = new Map<string, number>();
    for (const e of fa) per.set(e.asset, (per.get(e.asset) ?? 0) + 1);
    const hours = (fa.reduce((s, e) => s + (e.end - e.start), 0) / 3_600_000).toFixed(1);
    const assets = [...per].map(([a, n]) => `${a} ${n}`).join(", ");
    const { training, nearStop } = classifyFalseAlarms(result);
    lines.push(
      "",
      `false alarms: ${fa.length} episode(s) outside any fault window, ${hours} h in total (${assets})`,
      `  ${training} in the training chunk, ${nearStop} within 2 h of a planned stop/start`,
    );
    for (const e of fa.slice(0, 3)) {
      lines.push(
        `  ${e.asset.padEnd(10)} #${e.id} ${formatWindow(e.start, e.end)}  peak z ${
          Number.isFinite(e.peakZ) ? e.peakZ.toFixed(1) : "-"
        }  ${e.culprits.slice(0, 2).join(", ")}`,
      );
    }
    if (fa.length > 3) lines.push(`  ... ${fa.length - 3} more in the episodes.csv files`);
  }
  lines.push("", `ground truth: ${result.dataDir}/faults.json`);
  if (result.summary.report) lines.push(`fleet report: ${result.summary.report}`);
  return lines;
}
