/**
 * The published SKAB leaderboard (README of waico/SKAB @ b2c0d46, test-set protocol,
 * 60 s right windows), embedded so `acm eval skab` needs no dataset files to compare,
 * plus a reader for `reference-predictions/expected_metrics.json` when one is at hand.
 */
import { dirname, join, resolve } from "node:path";

/** One leaderboard row; null where the publication gives no value. */
export interface LeaderboardRow {
  /** Algorithm key as used in `predictions_rle.json` (or a descriptive key). */
  key: string;
  label: string;
  f1: number | null;
  farPct: number | null;
  marPct: number | null;
  nabStandard: number | null;
  nabLowFP: number | null;
  nabLowFN: number | null;
  missedCps: number | null;
  fps: number | null;
  /** Where the row comes from when not the published table. */
  note?: string;
}

type Tuple = [string, string, ...(number | null)[]];

// key, label, F1, FAR %, MAR %, NAB standard, LowFP, LowFN, missed CPs, FPs (published values).
const PUBLISHED: Tuple[] = [
  ["Conv_AE", "Conv-AE", 0.78, 13.55, 28.02, 23.61, 21.54, 27.55, 82, 23],
  ["MSET", "MSET", 0.78, 39.73, 14.13, 13.84, 10.22, 17.37, 96, 66],
  ["T2-q", "T-squared+Q (PCA-based)", 0.76, 26.62, 24.92, 25.35, 14.51, 31.33, 72, 232],
  ["LSTM_AE", "LSTM-AE", 0.74, 29.96, 25.92, 23.51, 20.11, 25.91, 88, 69],
  ["T2", "T-squared", 0.66, 19.21, 42.6, 19.54, 10.2, 24.31, 70, 106],
  ["LSTM_VAE", "LSTM-VAE", 0.56, 9.13, 55.03, null, null, null, null, null],
  ["Vanilla_LSTM", "Vanilla LSTM", 0.54, 12.54, 59.53, 11.31, -3.8, 17.25, 90, 342],
  ["MSCRED", "MSCRED", 0.36, 49.94, 69.88, 32.42, 16.53, 40.28, 55, 342],
  ["Vanilla_AE", "Vanilla AE", 0.39, 2.59, 75.15, 11.41, 6.53, 13.91, 103, 106],
  ["Isolation_Forest", "Isolation forest", 0.29, 2.56, 82.89, 26.16, 19.5, 30.82, 76, 135],
  ["Arima_anomaly_detection", "ArimaFD", null, null, null, -0.09, -0.17, -0.06, 127, 2],
];

// Reference detectors: the definitional ones of the leaderboard and the always-on baseline
// (scored with the same rules on the labels; see tests/core/eval/skab_scorer_test.ts).
const REFERENCE: Tuple[] = [
  ["perfect", "Perfect detector", 1, 0, 0, 100, 100, 100, 0, 0],
  ["always_on", "Always alarm (trivial)", 0.7, 100, 0, -1.47, -2.94, -0.98, 127, 34],
  ["null", "Null detector", 0, 0, 100, 0, 0, 0, null, null],
];

function toRow(t: Tuple, note?: string): LeaderboardRow {
  const [key, label, f1, farPct, marPct, nabStandard, nabLowFP, nabLowFN, missedCps, fps] = t;
  const row: LeaderboardRow = {
    key,
    label,
    f1: f1 ?? null,
    farPct: farPct ?? null,
    marPct: marPct ?? null,
    nabStandard: nabStandard ?? null,
    nabLowFP: nabLowFP ?? null,
    nabLowFN: nabLowFN ?? null,
    missedCps: missedCps ?? null,
    fps: fps ?? null,
  };
  return note ? { ...row, note } : row;
}

/** The published algorithms' rows, as printed in SKAB's README. */
export const PUBLISHED_LEADERBOARD: readonly LeaderboardRow[] = PUBLISHED.map((t) => toRow(t));

/** Perfect, always-alarm and null detectors. */
export const REFERENCE_ROWS: readonly LeaderboardRow[] = REFERENCE.map((t) =>
  toRow(t, t[0] === "always_on" ? "computed with these rules" : "definitional")
);

/**
 * Reads the `leaderboard` object of an `expected_metrics.json`; throws RangeError when
 * it is missing. Keys missing in an entry become null.
 */
export function leaderboardFromExpected(json: unknown): LeaderboardRow[] {
  const board = (json as { leaderboard?: unknown } | null)?.leaderboard;
  if (board === null || typeof board !== "object" || Array.isArray(board)) {
    throw new RangeError('Cannot read leaderboard: no "leaderboard" object in expected metrics');
  }
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  return Object.entries(board as Record<string, Record<string, unknown>>).map(([key, e]) => ({
    key,
    label: typeof e.label === "string" ? e.label : key,
    f1: num(e.F1),
    farPct: num(e.FAR_pct),
    marPct: num(e.MAR_pct),
    nabStandard: num(e.NAB_standard),
    nabLowFP: num(e.NAB_lowFP),
    nabLowFN: num(e.NAB_lowFN),
    missedCps: num(e.missed_cps),
    fps: num(e.fps),
  }));
}

/**
 * The leaderboard of an `expected_metrics.json` in `dir` or its parent (directly or under
 * `reference-predictions/`), else the embedded published table; reference rows appended.
 */
export async function findLeaderboard(
  dir: string,
): Promise<{ rows: LeaderboardRow[]; from: string }> {
  const candidates = [dir, dirname(resolve(dir))].flatMap((d) => [
    join(d, "reference-predictions", "expected_metrics.json"),
    join(d, "expected_metrics.json"),
  ]);
  for (const file of candidates) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      continue; // not there: try the next place
    }
    try {
      return {
        rows: [...leaderboardFromExpected(JSON.parse(text)), ...REFERENCE_ROWS],
        from: file,
      };
    } catch {
      continue; // not a leaderboard file
    }
  }
  return {
    rows: [...PUBLISHED_LEADERBOARD, ...REFERENCE_ROWS],
    from: "published table (embedded)",
  };
}
