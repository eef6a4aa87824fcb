/** Optional per-stage timing of fit and score (benchmarks pass a CPU clock). */

/** Seconds per stage, summed; `clock` (ms, default performance.now) may be a CPU clock. */
export interface StageTimings {
  seconds: Record<string, number>;
  clock?: () => number;
}

/** Reads the stage clock (ms). */
export function stageNow(timings: StageTimings | undefined): number {
  return timings?.clock ? timings.clock() : performance.now();
}

/** Adds the time since `t0` to stage `key` (no-op without timings); returns the clock now. */
export function addTiming(timings: StageTimings | undefined, key: string, t0: number): number {
  if (!timings) return 0;
  const now = stageNow(timings);
  timings.seconds[key] = (timings.seconds[key] ?? 0) + (now - t0) / 1000;
  return now;
}
