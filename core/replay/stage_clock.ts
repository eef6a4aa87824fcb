/**
 * Laps of one chunk's stages (read, parse, fit, score, each sink, checkpoint, …)
 * for the `chunk-stages` event: `lap(name)` adds the wall time since the previous
 * lap to `seconds[name]` and the process CPU time (all threads, getrusage) to
 * `cpu[name]` — with one Worker the stages run one after another, so a stage's
 * CPU is its own and robust to other work on the machine; `detail` copies an
 * engine's own stage timings (core/engine/timings.ts, run on `cpuClock`) into
 * `cpu` under a prefix, e.g. `score/score:condition`.
 */
import process from "node:process";

/** Process CPU time in seconds (user + system, all threads); NaN where unavailable. */
export function cpuNow(): number {
  try {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  } catch {
    return NaN;
  }
}

/** Accumulates named stage seconds. */
export class StageClock {
  /** Wall seconds per stage, in the order first seen. */
  readonly seconds: Record<string, number> = {};
  /** Process CPU seconds per stage (NaN where unavailable). */
  readonly cpu: Record<string, number> = {};
  #last = performance.now();
  #lastCpu = cpuNow();

  /** Adds the time since the previous lap (or construction) to `name`. */
  lap(name: string): void {
    const now = performance.now(), cpu = cpuNow();
    this.seconds[name] = (this.seconds[name] ?? 0) + (now - this.#last) / 1000;
    this.cpu[name] = (this.cpu[name] ?? 0) + (cpu - this.#lastCpu);
    this.#last = now;
    this.#lastCpu = cpu;
  }

  /** Records CPU `stages` (minus `before`, for a cumulative timer) as `cpu["<prefix>/<stage>"]`. */
  detail(prefix: string, stages: Record<string, number>, before: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(stages)) {
      const d = v - (before[k] ?? 0);
      if (d > 0) this.cpu[`${prefix}/${k}`] = (this.cpu[`${prefix}/${k}`] ?? 0) + d;
    }
  }

  /** Adds another clock's laps (e.g. a set-up clock to the first chunk's). */
  add(other: StageClock): void {
    for (const [k, v] of Object.entries(other.seconds)) {
      this.seconds[k] = (this.seconds[k] ?? 0) + v;
    }
    for (const [k, v] of Object.entries(other.cpu)) this.cpu[k] = (this.cpu[k] ?? 0) + v;
  }
}

/** An engine stage clock (ms) on process CPU time, for `StageTimings.clock`. */
export const cpuClock = (): number => cpuNow() * 1000;
