/**
 * Wall-clock laps of one chunk's stages (read, parse, fit, score, each sink,
 * checkpoint, …) for the `chunk-stages` event: `lap(name)` adds the time since
 * the previous lap to `name`; `detail` copies an engine's own stage timings
 * (core/engine/timings.ts) under a prefix, e.g. `score/score:condition`.
 */

/** Accumulates named stage seconds. */
export class StageClock {
  /** Seconds per stage, in the order first seen. */
  readonly seconds: Record<string, number> = {};
  #last = performance.now();

  /** Adds the time since the previous lap (or construction) to `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.seconds[name] = (this.seconds[name] ?? 0) + (now - this.#last) / 1000;
    this.#last = now;
  }

  /** Records `stages` (minus `before`, for a cumulative timer) as `<prefix>/<stage>`. */
  detail(prefix: string, stages: Record<string, number>, before: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(stages)) {
      const d = v - (before[k] ?? 0);
      if (d > 0) this.seconds[`${prefix}/${k}`] = (this.seconds[`${prefix}/${k}`] ?? 0) + d;
    }
  }
}
