/**
 * Injected faults of the labelled benchmark fleet: the kinds, how many of each,
 * where they go (at most one per asset and weekly chunk, never in training) and
 * their size, stated in each sensor's own noise σ so every fault is of the same
 * difficulty on every sensor:
 *   drift  slow linear offset over 3–5 days, reaching 8–12 σ;
 *   step   offset of ±4–7 σ for 6–24 h (a transmitter shift);
 *   stuck  the reading freezes at its value at the fault start for 6–24 h;
 *   gain   the load-driven part scaled so the change averages ±4–7 σ for 12–48 h
 *          (the sensor's relation to the others breaks); one fills a whole weekly chunk;
 *   noise  measurement noise ×4–6 for 20–90 min (a loose connection).
 */
import type { Rng } from "../rng.ts";
import type { LabelledRole, LabelledSensor } from "./labelled_sensors.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The fault kinds of the benchmark. */
export type LabelledFaultKind = "drift" | "step" | "stuck" | "gain" | "noise";

/** All kinds, in table order. */
export const LABELLED_FAULT_KINDS: readonly LabelledFaultKind[] = [
  "drift",
  "step",
  "stuck",
  "gain",
  "noise",
];

/** How many faults of each kind a fleet gets (23 in all). */
export const FAULT_MIX: Readonly<Record<LabelledFaultKind, number>> = {
  drift: 1,
  step: 5,
  stuck: 5,
  gain: 8,
  noise: 4,
};

/** One injected fault: the ground truth. Times are epoch ms (naive wall-clock as UTC). */
export interface LabelledFault {
  asset: string;
  kind: LabelledFaultKind;
  /** [start, end) epoch ms. */
  start: number;
  end: number;
  sensor: string;
  /** Index of the weekly chunk holding it (1 = the first chunk after training). */
  chunk: number;
  /** True for the fault that fills its whole weekly chunk. */
  wholeChunk: boolean;
  /** Size in σ of the sensor's noise (drift: at the end; noise: the σ multiplier; stuck: 0). */
  size: number;
  /** Sign of offsets and gain changes (+1 / −1). */
  sign: number;
}

/** Sensors a kind may hit (gain needs a load-driven part; no fault on ambient sensors). */
const ELIGIBLE: Record<LabelledFaultKind, readonly LabelledRole[]> = {
  drift: ["current", "power", "flow", "pressure", "temperature", "vibration"],
  step: ["current", "power", "flow", "pressure", "temperature", "vibration"],
  stuck: ["current", "power", "flow", "pressure", "temperature", "vibration", "speed"],
  gain: ["current", "power", "flow", "pressure", "temperature"],
  noise: ["current", "power", "flow", "pressure", "temperature", "vibration", "speed"],
};

/** Window length range [min, max] in ms per kind. */
const LENGTH: Record<LabelledFaultKind, [number, number]> = {
  drift: [3 * DAY, 5 * DAY],
  step: [6 * HOUR, 24 * HOUR],
  stuck: [6 * HOUR, 24 * HOUR],
  gain: [12 * HOUR, 48 * HOUR],
  noise: [20 * MIN, 90 * MIN],
};

/** Size range per kind (see the module comment). */
const SIZE: Record<LabelledFaultKind, [number, number]> = {
  drift: [8, 12],
  step: [4, 7],
  stuck: [0, 0],
  gain: [4, 7],
  noise: [4, 6],
};

/** Fisher–Yates shuffle in place, seeded. */
function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Plans the faults of a fleet: the FAULT_MIX kinds are dealt in random order to
 * random (asset, weekly chunk) slots, one fault per slot; the first gain fault
 * dealt fills its whole chunk; every other window keeps 12 h from its chunk's edges.
 */
export function planLabelledFaults(
  assets: ReadonlyArray<{ name: string; sensors: readonly LabelledSensor[] }>,
  weeks: ReadonlyArray<[number, number]>,
  rng: Rng,
): LabelledFault[] {
  const kinds = shuffle(
    LABELLED_FAULT_KINDS.flatMap((k) => Array.from({ length: FAULT_MIX[k] }, () => k)),
    rng,
  );
  const slots = shuffle(assets.flatMap((_, a) => weeks.map((_, w) => [a, w] as const)), rng);
  const out: LabelledFault[] = [];
  let whole = false;
  kinds.slice(0, slots.length).forEach((kind, k) => {
    const [a, w] = slots[k];
    const [ws, we] = weeks[w];
    const pool = assets[a].sensors.filter((s) => ELIGIBLE[kind].includes(s.role));
    const sensor = pool[rng.int(pool.length)].name;
    const isWhole = kind === "gain" && !whole;
    whole ||= isWhole;
    const [lo, hi] = LENGTH[kind];
    const length = lo + (hi - lo) * rng.next();
    const room = Math.max(0, we - ws - 24 * HOUR - length);
    const at = ws + 12 * HOUR + room * rng.next();
    const round = (t: number) => Math.round(t / MIN) * MIN;
    const [sLo, sHi] = SIZE[kind];
    out.push({
      asset: assets[a].name,
      kind,
      start: isWhole ? ws : round(at),
      end: isWhole ? we : round(at + length),
      sensor,
      chunk: w + 1,
      wholeChunk: isWhole,
      size: sLo + (sHi - sLo) * rng.next(),
      sign: rng.next() < 0.5 ? -1 : 1,
    });
  });
  return out.sort((x, y) => x.asset.localeCompare(y.asset) || x.start - y.start);
}

/**
 * Applies `faults` (all on sensor `s`) to its column in place. `base` and `driven`
 * are the clean parts, `noise` the sensor's noise series; the column is rebuilt as
 * base + gain·driven + offset + noise·multiplier, then stuck windows are frozen.
 */
export function composeColumn(
  s: LabelledSensor,
  parts: { base: Float64Array; driven: Float64Array; noise: Float64Array },
  ts: Float64Array,
  faults: readonly LabelledFault[],
  out: Float64Array,
): void {
  const { base, driven, noise } = parts;
  const n = ts.length;
  const gain = new Float64Array(n).fill(1), offset = new Float64Array(n);
  const mult = new Float64Array(n).fill(1);
  for (const f of faults) {
    const [a, b] = [lowerBound(ts, f.start), lowerBound(ts, f.end)];
    if (f.kind === "gain") {
      let sum = 0, cnt = 0;
      for (let i = a; i < b; i++) if (Math.abs(driven[i]) > 0) (sum += Math.abs(driven[i])), cnt++;
      const mean = cnt > 0 ? sum / cnt : 0;
      const g = mean > 0 ? Math.min(0.3, (f.size * s.noise) / mean) : 0;
      for (let i = a; i < b; i++) gain[i] = 1 + f.sign * g;
    } else if (f.kind === "step") {
      for (let i = a; i < b; i++) offset[i] += f.sign * f.size * s.noise;
    } else if (f.kind === "drift") {
      for (let i = a; i < b; i++) {
        offset[i] += f.sign * f.size * s.noise * (ts[i] - f.start) / (f.end - f.start);
      }
    } else if (f.kind === "noise") {
      for (let i = a; i < b; i++) mult[i] = f.size;
    }
  }
  const scale = 10 ** s.decimals;
  const floor = s.role === "temperature" || s.role === "ambient" ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    const v = base[i] + gain[i] * driven[i] + offset[i] + noise[i] * mult[i];
    out[i] = Math.round(Math.max(floor, v) * scale) / scale;
  }
  for (const f of faults) {
    if (f.kind !== "stuck") continue;
    const [a, b] = [lowerBound(ts, f.start), lowerBound(ts, f.end)];
    for (let i = a + 1; i < b; i++) out[i] = out[a];
  }
}

/** First index with `ts[i] >= t` (ts ascending). */
export function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
