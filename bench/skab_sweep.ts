/**
 * SKAB parameter sweep: runs a grid of `--set` overrides through the SKAB eval driver
 * in-process (`runSkabPipeline` of cli/eval.ts: per file, fit on the first 400 rows,
 * score the rest) and prints one row per combination, sorted, with each row's worst
 * grid neighbour (one key moved one step) so a lone lucky point stands out.
 *
 *   deno run -A bench/skab_sweep.ts --data ../shared/datasets/skab \
 *     --grid episodes.on_z=3|4|5 --grid "detectors.flow.inputs=[roll30]|[roll60]" \
 *     [--set key=value]... [--pipeline FILE] [--sort nab|f1|lowfp|lowfn] [--cp-rolling-max N]
 *
 * Grid values are separated by `|` (commas stay free for YAML lists). A benchmark:
 * it prints, it never passes or fails.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../core/pipeline/load.ts";
import { runSkabPipeline } from "../cli/eval.ts";
import type { AlarmSeries } from "../core/eval/skab_files.ts";
import { type SkabSummary, summariseSkab } from "../core/eval/skab_score.ts";
import { formatTable } from "../core/eval/report.ts";

/** One grid axis: an override key and the values it takes. */
export interface GridAxis {
  key: string;
  values: string[];
}

/** Outcome of one grid point. */
export interface SweepRow {
  /** Index of each axis' value. */
  at: number[];
  summary: SkabSummary;
  seconds: number;
}

type SortKey = "nab" | "f1" | "lowfp" | "lowfn";

/** Parses `key=v1|v2|...` into a grid axis; throws on a missing `=` or empty value list. */
export function parseAxis(text: string): GridAxis {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new TypeError(`Cannot parse --grid "${text}": expected key=v1|v2|...`);
  const values = text.slice(eq + 1).split("|").filter((v) => v !== "");
  if (values.length === 0) throw new TypeError(`Cannot parse --grid "${text}": no values`);
  return { key: text.slice(0, eq), values };
}

/** Every combination of axis value indices (first axis slowest); one empty point without axes. */
export function gridPoints(axes: readonly GridAxis[]): number[][] {
  let points: number[][] = [[]];
  for (const axis of axes) {
    points = points.flatMap((p) => axis.values.map((_, k) => [...p, k]));
  }
  return points;
}

/** The metric a sort key selects (higher is better). */
export function metricOf(s: SkabSummary, key: SortKey): number {
  switch (key) {
    case "f1":
      return s.outlier.f1;
    case "lowfp":
      return s.nab.lowFP;
    case "lowfn":
      return s.nab.lowFN;
    default:
      return s.nab.standard;
  }
}

/** Worst metric among a row's grid neighbours (one axis moved by one step); NaN without any. */
export function worstNeighbour(rows: readonly SweepRow[], row: SweepRow, key: SortKey): number {
  let worst = NaN;
  for (const other of rows) {
    let steps = 0;
    for (let a = 0; a < row.at.length; a++) steps += Math.abs(other.at[a] - row.at[a]);
    if (steps !== 1) continue;
    const v = metricOf(other.summary, key);
    if (!(worst <= v)) worst = v;
  }
  return worst;
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "–");

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: "string", default: "../shared/datasets/skab" },
      pipeline: {
        type: "string",
        default: fileURLToPath(new URL("../pipelines/skab.yaml", import.meta.url)),
      },
      grid: { type: "string", multiple: true, default: [] },
      set: { type: "string", multiple: true, default: [] },
      sort: { type: "string", default: "nab" },
      top: { type: "string", default: "0" },
      "cp-rolling-max": { type: "string", default: "0" },
      "train-rows": { type: "string", default: "400" },
    },
  });
  const axes = (values.grid as string[]).map(parseAxis);
  const sortKey = values.sort as SortKey;
  if (!["nab", "f1", "lowfp", "lowfn"].includes(sortKey)) {
    throw new TypeError(`Cannot sort by "${sortKey}": use nab, f1, lowfp or lowfn`);
  }
  const settings = {
    trainRows: Number(values["train-rows"]),
    cpRollingMaxRows: Number(values["cp-rolling-max"]),
  };
  const points = gridPoints(axes);
  console.error(`${points.length} grid point(s) on ${values.data}`);
  const rows: SweepRow[] = [];
  for (const at of points) {
    const overrides = [
      ...(values.set as string[]),
      ...at.map((k, a) => `${axes[a].key}=${axes[a].values[k]}`),
    ];
    const label = overrides.slice(values.set.length).join(" ");
    let pipeline;
    try {
      pipeline = await loadPipeline(values.pipeline as string, { overrides });
    } catch (e) {
      console.error(`  skipped ${label}: ${(e as Error).message}`);
      continue;
    }
    const t0 = performance.now();
    const outcome = await runSkabPipeline(
      values.data as string,
      pipeline,
      undefined,
      settings,
      new Map<string, AlarmSeries>(),
    );
    const row = {
      at,
      summary: summariseSkab(outcome.scores),
      seconds: (performance.now() - t0) / 1000,
    };
    rows.push(row);
    const s = row.summary;
    console.error(
      `  [${rows.length}/${points.length}] ${label} → ` +
        `F1 ${fmt(s.outlier.f1)} NAB ${fmt(s.nab.standard)} (${fmt(row.seconds, 1)} s)`,
    );
  }
  const sorted = [...rows].sort((a, b) =>
    metricOf(b.summary, sortKey) - metricOf(a.summary, sortKey)
  );
  const top = Number(values.top) > 0 ? sorted.slice(0, Number(values.top)) : sorted;
  const header = [
    ...axes.map((a) => a.key.split(".").slice(-2).join(".")),
    "F1",
    "FAR%",
    "MAR%",
    "NAB",
    "LowFP",
    "LowFN",
    "missed",
    "FPs",
    `worst-nbr ${sortKey}`,
  ];
  const body = top.map((r) => {
    const s = r.summary;
    return [
      ...r.at.map((k, a) => axes[a].values[k]),
      fmt(s.outlier.f1, 3),
      fmt(s.outlier.farPct),
      fmt(s.outlier.marPct),
      fmt(s.nab.standard),
      fmt(s.nab.lowFP),
      fmt(s.nab.lowFN),
      String(s.nab.missed),
      String(s.nab.fps),
      fmt(worstNeighbour(rows, r, sortKey)),
    ];
  });
  const fixed = (values.set as string[]).join(" ");
  console.log(
    `pipeline ${values.pipeline}${fixed ? ` with ${fixed}` : ""}` +
      (settings.cpRollingMaxRows > 0 ? `, cp rolling max ${settings.cpRollingMaxRows}` : ""),
  );
  console.log(formatTable(header, body));
}

if (import.meta.main) await main(Deno.args);
