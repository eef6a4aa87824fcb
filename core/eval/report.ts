/**
 * Plain-text report of a SKAB evaluation: the pooled metrics, a per-file table and
 * the published leaderboards with our row placed among them.
 */
import type { LeaderboardRow } from "./leaderboard.ts";
import type { LikeForLike } from "./like_for_like.ts";
import { round2 } from "./outlier_metrics.ts";
import type { SkabFileScore, SkabSummary } from "./skab_score.ts";

/** Per-file timings in ms (pipeline mode). */
export interface FileTiming {
  fitMs: number;
  scoreMs: number;
}

/** Our pooled result as a leaderboard row (values rounded to 2 decimals). */
export function summaryRow(summary: SkabSummary, key: string, label: string): LeaderboardRow {
  return {
    key,
    label,
    f1: round2(summary.outlier.f1),
    farPct: round2(summary.outlier.farPct),
    marPct: round2(summary.outlier.marPct),
    nabStandard: round2(summary.nab.standard),
    nabLowFP: round2(summary.nab.lowFP),
    nabLowFN: round2(summary.nab.lowFN),
    missedCps: summary.nab.missed,
    fps: summary.nab.fps,
  };
}

/** Lays out rows as a text table; numeric-looking cells are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const numeric = /^[-+−]?[\d.]+%?$|^–$/;
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (numeric.test(c) ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? "–" : String(round2(x)));

/** The pooled metrics as labelled lines. */
export function formatSummary(s: SkabSummary): string {
  const o = s.outlier, n = s.nab;
  return [
    `files ${s.files}, test rows ${s.rows} (TP ${o.tp}, FP ${o.fp}, FN ${o.fn}, TN ${o.tn})`,
    `F1 ${fmt(o.f1)}   FAR ${fmt(o.farPct)} %   MAR ${fmt(o.marPct)} %`,
    `NAB standard ${fmt(n.standard)}   LowFP ${fmt(n.lowFP)}   LowFN ${fmt(n.lowFN)}`,
    `changepoints ${n.changepoints}, missed ${n.missed}, FPs ${n.fps}, mean delay ${
      Number.isFinite(n.meanDelayS) ? n.meanDelayS.toFixed(1) + " s" : "–"
    }`,
  ].join("\n");
}

/** One line per file: rows, counts, F1, changepoints, missed, FPs, and timings when given. */
export function formatFileTable(
  scores: readonly SkabFileScore[],
  timings?: ReadonlyMap<string, FileTiming>,
): string {
  const header = ["file", "rows", "TP", "FP", "FN", "TN", "CPs", "missed", "FPs"];
  if (timings) header.push("fit ms", "score ms");
  const rows = scores.map((s) => {
    const c = s.confusion;
    const r = [
      s.file,
      s.rows,
      c.tp,
      c.fp,
      c.fn,
      c.tn,
      s.nab.windows.length,
      s.nab.missed,
      s.nab.fps,
    ]
      .map(String);
    const t = timings?.get(s.file);
    if (timings) r.push(t ? t.fitMs.toFixed(0) : "–", t ? t.scoreMs.toFixed(0) : "–");
    return r;
  });
  return formatTable(header, rows);
}

/**
 * The outlier leaderboard (sorted by F1) and the changepoint leaderboard (sorted by
 * NAB standard), with `ours` inserted and marked `◀`. Rows without the sort value are left out.
 */
export function formatLeaderboards(ours: LeaderboardRow, rows: readonly LeaderboardRow[]): string {
  const all = [...rows, ours];
  const mark = (r: LeaderboardRow) => (r === ours ? `${r.label} ◀` : r.label);
  const byDesc = (pick: (r: LeaderboardRow) => number | null) =>
    all.filter((r) => pick(r) !== null).sort((a, b) =>
      (pick(b) as number) - (pick(a) as number) || (a === ours ? -1 : b === ours ? 1 : 0)
    );
  const outlier = formatTable(
    ["Algorithm", "F1", "FAR %", "MAR %"],
    byDesc((r) => r.f1).map((r) => [mark(r), fmt(r.f1), fmt(r.farPct), fmt(r.marPct)]),
  );
  const cp = formatTable(
    ["Algorithm", "NAB std", "LowFP", "LowFN", "missed", "FPs"],
    byDesc((r) => r.nabStandard).map((r) => [
      mark(r),
      fmt(r.nabStandard),
      fmt(r.nabLowFP),
      fmt(r.nabLowFN),
      fmt(r.missedCps),
      fmt(r.fps),
    ]),
  );
  return `Outlier problem (sorted by F1)\n${outlier}\n\nChangepoint problem (sorted by NAB standard)\n${cp}`;
}

/** The machine-readable result written by `--json`: settings, pooled metrics (unrounded), files. */
export function reportJson(input: {
  mode: string;
  label: string;
  settings: Record<string, unknown>;
  summary: SkabSummary;
  scores: readonly SkabFileScore[];
  timings?: ReadonlyMap<string, FileTiming>;
  notes: readonly string[];
  leaderboard: { from: string; rows: readonly LeaderboardRow[] };
  /** Published algorithms re-scored on the same files; null when not computed. */
  likeForLike?: LikeForLike | null;
}): Record<string, unknown> {
  const { summary: s } = input;
  return {
    benchmark: "skab",
    mode: input.mode,
    label: input.label,
    settings: input.settings,
    summary: { files: s.files, rows: s.rows, ...s.outlier, nab: s.nab },
    row: summaryRow(s, "ours", input.label),
    files: input.scores.map((f) => ({
      file: f.file,
      rows: f.rows,
      ...f.confusion,
      changepoints: f.nab.windows.length,
      missed: f.nab.missed,
      fps: f.nab.fps,
      ...input.timings?.get(f.file),
    })),
    notes: input.notes,
    leaderboard: input.leaderboard,
    likeForLike: input.likeForLike ?? null,
  };
}
