/**
 * Scores a run-length alarm file against a SKAB labels folder: the scorer on its own,
 * for detectors run elsewhere (SKAB's `predictions_rle.json`, or alarms saved by
 * `acm eval skab --save-alarms`).
 */
import { join } from "node:path";
import {
  expandRle,
  listSkabFiles,
  parseRleAlarms,
  readSkabLabels,
  type RleSeries,
  type SkabLabels,
  sliceLabels,
} from "./skab_files.ts";
import { scoreSkabFile, type SkabFileScore } from "./skab_score.ts";

/** Which algorithm to take and how to score it. */
export interface AlarmFileOptions {
  /** Key to pick in a file holding several algorithms (`predictions_rle.json`). */
  algorithm?: string;
  /** Training rows at the start of each file, not scored (default 400). */
  trainRows?: number;
  /** Rolling max (rows) before building changepoint events; 0 = none. */
  cpRollingMaxRows?: number;
}

/** Per-file scores, plus notes on labelled files the alarm file leaves out. */
export interface AlarmFileResult {
  scores: SkabFileScore[];
  notes: string[];
}

/**
 * Picks the per-file alarm object: `json[algorithm]` when an algorithm is named; throws
 * RangeError when it is missing, or when none is named and the file holds several.
 */
export function pickAlgorithm(
  json: unknown,
  algorithm: string | undefined,
  source: string,
): unknown {
  const obj = (json ?? {}) as Record<string, unknown>;
  if (algorithm !== undefined) {
    if (!Object.hasOwn(obj, algorithm)) {
      throw new RangeError(
        `Cannot pick algorithm "${algorithm}": "${source}" holds ${Object.keys(obj).join(", ")}`,
      );
    }
    return obj[algorithm];
  }
  const first = Object.values(obj)[0];
  if (first && typeof first === "object" && !Array.isArray(first) && !("ones" in first)) {
    throw new RangeError(
      `Cannot pick alarms: "${source}" holds several algorithms (${
        Object.keys(obj).join(", ")
      }); choose one with --algorithm`,
    );
  }
  return json;
}

/**
 * Scores every file of an alarm JSON against `labelsDir/<key>`. Plain run lists cover
 * the test rows; `{ first, last, ones }` series cover the labelled rows in `[first, last]`
 * (then only the timestamps also in the test rows are scored). Throws RangeError when a
 * key has no labels file.
 */
export async function scoreAlarmFile(
  file: string,
  labelsDir: string,
  opts: AlarmFileOptions = {},
): Promise<AlarmFileResult> {
  const json = pickAlgorithm(JSON.parse(await Deno.readTextFile(file)), opts.algorithm, file);
  const alarms = parseRleAlarms(json, file);
  const keys = await listSkabFiles(labelsDir);
  const notes: string[] = [];
  const missing = keys.filter((k) => !alarms.has(k));
  if (missing.length > 0) {
    notes.push(`no alarms for ${missing.length} labelled file(s): ${missing.join(", ")}`);
  }
  const scores: SkabFileScore[] = [];
  for (const [key, series] of alarms) {
    if (!keys.includes(key)) {
      throw new RangeError(`Cannot score "${key}": no labels file "${join(labelsDir, key)}"`);
    }
    const labels = await readSkabLabels(join(labelsDir, key));
    scores.push(scoreRleSeries(key, labels, series, opts));
  }
  return { scores, notes };
}

/**
 * Scores one run-length series against a file's full labels: the test rows are the labels
 * after `trainRows`; a series without `first` covers exactly those rows, one with
 * `{ first, last }` covers the labelled rows in that span (scored where both overlap).
 */
export function scoreRleSeries(
  key: string,
  labels: SkabLabels,
  series: RleSeries,
  opts: Omit<AlarmFileOptions, "algorithm"> = {},
): SkabFileScore {
  const truth = sliceLabels(labels, opts.trainRows ?? 400);
  const rows = series.first === undefined ? truth.timestamps : labels.timestamps;
  const pred = expandRle(series, rows);
  return scoreSkabFile(key, truth, pred, { cpRollingMaxRows: opts.cpRollingMaxRows ?? 0 });
}
