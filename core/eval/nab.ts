/**
 * SKAB's variant of the NAB changepoint score (Lavin & Ahmad 2015, "Evaluating
 * real-time anomaly detection algorithms — the Numenta Anomaly Benchmark";
 * SKAB's `tsad` evaluation, rules as in the SKAB README §1.4 B):
 * windows `[τ, τ + 60 s]` to the right of each true changepoint, later windows cut
 * to start where an overlapping earlier one ends, the first predicted event in a
 * window scored on a scaled sigmoid quantised to 1000 steps, events outside every
 * window are false positives, windows without an event are missed changepoints.
 */

/** Weights of one NAB application profile. */
export interface NabProfile {
  tp: number;
  fp: number;
  fn: number;
}

/** The three published profiles. */
export const NAB_PROFILES = {
  standard: { tp: 1, fp: -0.11, fn: -1 },
  lowFP: { tp: 1, fp: -0.22, fn: -1 },
  lowFN: { tp: 1, fp: -0.11, fn: -2 },
} as const satisfies Record<string, NabProfile>;

/** A profile name. */
export type NabProfileName = keyof typeof NAB_PROFILES;

/** SKAB's window length to the right of a changepoint: 60 s. */
export const SKAB_WINDOW_MS = 60_000;

/** One scoring window in epoch ms, closed at both ends. */
export interface NabWindow {
  /** The true changepoint. */
  cp: number;
  /** Window start after any cut (≥ cp). */
  start: number;
  /** True when the previous window reached this one's start (`end_{i−1} ≥ start_i`). */
  cut: boolean;
  end: number;
  /** First predicted event inside the window, or NaN when the changepoint was missed. */
  detection: number;
}

/** Raw per-profile sums of one file (or pooled): achieved, null and perfect scores. */
export interface NabSums {
  score: number;
  null: number;
  perfect: number;
}

/** NAB outcome of one file. */
export interface NabFileResult {
  windows: NabWindow[];
  /** Windows without a predicted event. */
  missed: number;
  /** Predicted events outside every window. */
  fps: number;
  /** Sums per profile. */
  sums: Record<NabProfileName, NabSums>;
}

/**
 * Builds the windows `[τᵢ, τᵢ + windowMs]` of ascending changepoint times and cuts
 * overlaps in order: if `end_i ≥ start_{i+1}`, then `start_{i+1} := end_i`.
 */
export function nabWindows(cps: ArrayLike<number>, windowMs = SKAB_WINDOW_MS): NabWindow[] {
  const windows: NabWindow[] = [];
  for (let i = 0; i < cps.length; i++) {
    windows.push({ cp: cps[i], start: cps[i], cut: false, end: cps[i] + windowMs, detection: NaN });
  }
  for (let i = 0; i + 1 < windows.length; i++) {
    if (windows[i].end >= windows[i + 1].start) {
      windows[i + 1].start = windows[i].end;
      windows[i + 1].cut = true;
    }
  }
  return windows;
}

/**
 * Score of a detection at fraction `frac` ∈ [0, 1] of its window: the scaled sigmoid
 * `(A_tp−A_fp)/2 · (−tanh(x)/tanh(π/2)) + (A_tp−A_fp)/2 + A_fp`, with
 * `x = −π/2 + e·π/999` and `e = min(999, int(frac·1000))`: `A_tp` at the start, `A_fp` at the end.
 */
export function scaledSigmoid(frac: number, profile: NabProfile): number {
  const e = Math.min(999, Math.max(0, Math.trunc(frac * 1000)));
  const x = -Math.PI / 2 + (e * Math.PI) / 999;
  const half = (profile.tp - profile.fp) / 2;
  return half * (-Math.tanh(x) / Math.tanh(Math.PI / 2)) + half + profile.fp;
}

/**
 * Scores one file: `cps` are the true changepoint times, `events` the predicted event
 * times (both ascending epoch ms). A detection is the first event in `[start, end]`
 * (an event on a shared boundary counts for both windows); later events in a window
 * are ignored; events outside every window are FPs. With no window, every event is an FP.
 */
export function scoreNabFile(
  cps: ArrayLike<number>,
  events: ArrayLike<number>,
  windowMs = SKAB_WINDOW_MS,
): NabFileResult {
  const windows = nabWindows(cps, windowMs);
  let fps = 0;
  let w = 0;
  for (let i = 0; i < events.length; i++) {
    const t = events[i];
    while (w < windows.length && windows[w].end < t) w++;
    // windows[w] is the first window not ending before t; a shared boundary point sits in two.
    let inside = false;
    for (let k = w; k < windows.length && windows[k].start <= t; k++) {
      if (t <= windows[k].end) {
        inside = true;
        if (Number.isNaN(windows[k].detection)) windows[k].detection = t;
      }
    }
    if (!inside) fps++;
  }
  const missed = windows.filter((win) => Number.isNaN(win.detection)).length;
  const k = windows.length;
  const sums = {} as Record<NabProfileName, NabSums>;
  for (const name of Object.keys(NAB_PROFILES) as NabProfileName[]) {
    const p = NAB_PROFILES[name];
    let score = p.fp * fps + p.fn * missed;
    for (const win of windows) {
      if (Number.isNaN(win.detection)) continue;
      const len = win.end - win.start;
      const frac = len > 0 ? (win.detection - win.start) / len : 0;
      score += scaledSigmoid(frac, p);
    }
    sums[name] = { score, null: k * p.fn + 0, perfect: k * p.tp }; // + 0: no −0 when k = 0
  }
  return { windows, missed, fps, sums };
}

/** Pooled NAB results over files. */
export interface NabSummary {
  /** `100·(S − S_null)/(S_perfect − S_null)` per profile, unrounded; 0 when there is no window. */
  standard: number;
  lowFP: number;
  lowFN: number;
  changepoints: number;
  missed: number;
  fps: number;
  /** Mean of (detection − window start) over detected windows, seconds; NaN when none. */
  meanDelayS: number;
}

/** Sums S, S_null and S_perfect over files and normalises per profile. */
export function poolNab(files: readonly NabFileResult[]): NabSummary {
  const norm = (name: NabProfileName) => {
    let s = 0, sn = 0, sp = 0;
    for (const f of files) {
      s += f.sums[name].score;
      sn += f.sums[name].null;
      sp += f.sums[name].perfect;
    }
    return sp === sn ? 0 : (100 * (s - sn)) / (sp - sn);
  };
  let delay = 0, detected = 0, cps = 0;
  for (const f of files) {
    cps += f.windows.length;
    for (const w of f.windows) {
      if (Number.isNaN(w.detection)) continue;
      delay += w.detection - w.start;
      detected++;
    }
  }
  return {
    standard: norm("standard"),
    lowFP: norm("lowFP"),
    lowFN: norm("lowFN"),
    changepoints: cps,
    missed: files.reduce((a, f) => a + f.missed, 0),
    fps: files.reduce((a, f) => a + f.fps, 0),
    meanDelayS: detected === 0 ? NaN : delay / detected / 1000,
  };
}
