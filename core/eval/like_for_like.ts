/**
 * Like-for-like leaderboard rows: the published algorithms' stored predictions
 * (SKAB's `reference-predictions/predictions_rle.json`) re-scored on exactly the files
 * an evaluation scored, with the same test rows and rules (SKAB README §1.4; Isolation
 * Forest's changepoint events from a 30-row rolling max as in its published row). The
 * published table pools all 34 files, so on a subset only these rows compare fairly.
 */
import { dirname, join, resolve } from "node:path";
import { parseRleAlarms, readSkabLabels, type RleSeries, type SkabLabels } from "./skab_files.ts";
import { scoreSkabFile, type SkabFileScore, summariseSkab } from "./skab_score.ts";
import { scoreRleSeries } from "./alarm_file.ts";
import { type LeaderboardRow, PUBLISHED_LEADERBOARD, REFERENCE_ROWS } from "./leaderboard.ts";
import { formatLeaderboards, summaryRow } from "./report.ts";

/** Rolling max (rows) before changepoint events, per algorithm key, as in the published rows. */
export const REFERENCE_CP_ROLLING_MAX: Readonly<Record<string, number>> = {
  Isolation_Forest: 30,
};

/** The file name SKAB stores the published algorithms' predictions under. */
export const PREDICTIONS_FILE = "predictions_rle.json";

/** Published algorithms re-scored on the files of one evaluation. */
export interface LikeForLike {
  /** The predictions file the rows come from. */
  from: string;
  /** The files re-scored: those the evaluation scored, in its order. */
  files: string[];
  /** Test rows of those files (after the training rows). */
  testRows: number;
  /** One row per algorithm with predictions for every file, then perfect, always-on and null. */
  rows: LeaderboardRow[];
  /** Algorithms left out, and why. */
  notes: string[];
}

/** Options of a re-scoring: training rows per file and display labels per algorithm key. */
export interface LikeForLikeOptions {
  /** Training rows at the start of each file, not scored (default 400). */
  trainRows?: number;
  /** Display label per algorithm key (default: the published table's labels, else the key). */
  labels?: Readonly<Record<string, string>>;
}

/**
 * The first `predictions_rle.json` under `dir/reference-predictions/` or
 * `dir/../reference-predictions/`, or null when neither holds one.
 */
export async function findReferencePredictions(dir: string): Promise<string | null> {
  const candidates = [dir, dirname(resolve(dir))].map((d) =>
    join(d, "reference-predictions", PREDICTIONS_FILE)
  );
  for (const file of candidates) {
    const isFile = await Deno.stat(file).then((s) => s.isFile, () => false);
    if (isFile) return file;
  }
  return null;
}

const PUBLISHED_LABELS: Record<string, string> = Object.fromEntries(
  PUBLISHED_LEADERBOARD.map((r) => [r.key, r.label]),
);

/**
 * Re-scores every algorithm of a parsed `predictions_rle.json` (`{ algorithm: { file:
 * series } }`) on the files of `labels` (full labels per file key). An algorithm missing
 * a file, or whose series cannot be read, is left out with a note. Throws RangeError when
 * the top level is not an object of algorithms.
 */
export function rescoreReference(
  json: unknown,
  labels: ReadonlyMap<string, SkabLabels>,
  from: string,
  opts: LikeForLikeOptions = {},
): LikeForLike {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new RangeError(`Cannot re-score "${from}": top level is not an object of algorithms`);
  }
  const trainRows = opts.trainRows ?? 400;
  const names = { ...PUBLISHED_LABELS, ...opts.labels };
  const files = [...labels.keys()];
  const testRows = files.reduce(
    (a, k) => a + Math.max(0, (labels.get(k) as SkabLabels).timestamps.length - trainRows),
    0,
  );
  const rows: LeaderboardRow[] = [];
  const notes: string[] = [];
  for (const [algorithm, value] of Object.entries(json as Record<string, unknown>)) {
    if (algorithm.startsWith("_")) continue; // comment keys, not algorithms
    let series;
    try {
      series = parseRleAlarms(value, from);
    } catch (e) {
      notes.push(`left out ${algorithm}: ${(e as Error).message}`);
      continue;
    }
    const missing = files.filter((k) => !series.has(k));
    if (missing.length > 0) {
      notes.push(
        `left out ${algorithm}: no stored predictions for ${missing.length} of the ${files.length} file(s) (${
          missing.slice(0, 3).join(", ")
        }${missing.length > 3 ? ", ..." : ""})`,
      );
      continue;
    }
    const cpRollingMaxRows = REFERENCE_CP_ROLLING_MAX[algorithm] ?? 0;
    const scores = files.map((k) =>
      scoreRleSeries(k, labels.get(k) as SkabLabels, series.get(k) as RleSeries, {
        trainRows,
        cpRollingMaxRows,
      })
    );
    const summary = summariseSkab(scores);
    const row = summaryRow(summary, algorithm, names[algorithm] ?? algorithm);
    const parts: string[] = [];
    if (cpRollingMaxRows > 1) parts.push(`changepoints from a ${cpRollingMaxRows}-row rolling max`);
    if (summary.rows < testRows) {
      parts.push(`predictions cover ${summary.rows} of the ${testRows} test rows`);
    }
    rows.push(parts.length > 0 ? { ...row, note: parts.join("; ") } : row);
  }
  return { from, files, testRows, rows: [...rows, ...referenceRows(labels, trainRows)], notes };
}

/** Perfect and null (definitional, any files) and always-on computed on these files. */
function referenceRows(labels: ReadonlyMap<string, SkabLabels>, trainRows: number) {
  const scores: SkabFileScore[] = [];
  for (const [key, full] of labels) {
    const timestamps = full.timestamps.slice(trainRows);
    const truth = {
      timestamps,
      anomaly: full.anomaly.slice(trainRows),
      changepoint: full.changepoint.slice(trainRows),
    };
    const alarm = new Uint8Array(timestamps.length).fill(1);
    scores.push(scoreSkabFile(key, truth, { timestamps, alarm }));
  }
  return REFERENCE_ROWS.map((r) =>
    r.key === "always_on" && scores.length > 0
      ? { ...summaryRow(summariseSkab(scores), r.key, r.label), note: "computed on these files" }
      : r
  );
}

/**
 * Reads the predictions file and the labels of `keys` (`labelsDir/<key>`: a labels folder,
 * or data CSVs with their `anomaly`/`changepoint` columns) and re-scores every algorithm.
 * Throws when a file cannot be read or parsed.
 */
export async function rescoreReferenceFile(
  file: string,
  labelsDir: string,
  keys: readonly string[],
  opts: LikeForLikeOptions = {},
): Promise<LikeForLike> {
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw new RangeError(`Cannot read reference predictions "${file}": ${(e as Error).message}`);
  }
  const labels = new Map<string, SkabLabels>();
  for (const key of keys) labels.set(key, await readSkabLabels(join(labelsDir, key)));
  return rescoreReference(json, labels, file, opts);
}

/**
 * The re-scored leaderboard as text: a heading naming the files and the predictions file,
 * both tables with `ours` marked (as `formatLeaderboards`), then the rows' and left-out notes.
 */
export function formatLikeForLike(ours: LeaderboardRow, lfl: LikeForLike): string {
  const n = lfl.files.length;
  const lines = [
    `Leaderboard (re-scored on the same ${n} file${
      n === 1 ? "" : "s"
    }, ${lfl.testRows} test rows; stored predictions ${lfl.from})`,
    formatLeaderboards(ours, lfl.rows),
  ];
  for (const r of lfl.rows) {
    if (r.note && r.note !== "definitional") lines.push(`note: ${r.label}: ${r.note}`);
  }
  for (const note of lfl.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
