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
 * The `process_shift` scenario adds faults that move the whole process to a new
 * state (PROCESS_SHIFT) in machine-weeks that hold no other fault.
 */
import { lowerBound } from "../numeric/lower_bound.ts";
import type { Rng } from "../rng.ts";
import type { LabelledRole, LabelledSensor } from "./labelled_sensors.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The fault kinds of the benchmark (`process_shift` only in the scenario of that name). */
export type LabelledFaultKind = "drift" | "step" | "stuck" | "gain" | "noise" | "process_shift";

/** All kinds, in table order. */
export const LABELLED_FAULT_KINDS: readonly Exclude<LabelledFaultKind, "process_shift">[] = [
  "drift",
  "step",
  "stuck",
  "gain",
  "noise",
];

/** How many faults of each kind a standard fleet gets (23 in all). */
export const FAULT_MIX: Readonly<Record<Exclude<LabelledFaultKind, "process_shift">, number>> = {
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
const ELIGIBLE: Record<Exclude<LabelledFaultKind, "process_shift">, readonly LabelledRole[]> = {
  drift: ["current", "power", "flow", "pressure", "temperature", "vibration"],
  step: ["current", "power", "flow", "pressure", "temperature", "vibration"],
  stuck: ["current", "power", "flow", "pressure", "temperature", "vibration", "speed"],
  gain: ["current", "power", "flow", "pressure", "temperature"],
  noise: ["current", "power", "flow", "pressure", "temperature", "vibration", "speed"],
};

/** Window length range [min, max] in ms per kind. */
const LENGTH: Record<Exclude<LabelledFaultKind, "process_shift">, [number, number]> = {
  drift: [3 * DAY, 5 * DAY],
  step: [6 * HOUR, 24 * HOUR],
  stuck: [6 * HOUR, 24 * HOUR],
  gain: [12 * HOUR, 48 * HOUR],
  noise: [20 * MIN, 90 * MIN],
};

/** Size range per kind (see the module comment). */
const SIZE: Record<Exclude<LabelledFaultKind, "process_shift">, [number, number]> = {
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

/** Marker in `LabelledFault.sensor` of a fault that acts on the whole process. */
export const WHOLE_PROCESS = "(process)";

/**
 * Per role, the factor on the load-driven part at full severity of a process
 * shift: a restricted discharge — flow falls, pressure rises, the machine draws
 * less power and current (a centrifugal machine near shut-off) and runs hotter. It moves the whole operating point out of
 * the training envelope and breaks the usual flow–pressure–power relations.
 */
export const PROCESS_SHIFT: Readonly<Record<LabelledRole, number>> = {
  speed: 1,
  current: 0.8,
  power: 0.7,
  flow: 0.55,
  pressure: 1.6,
  temperature: 1.15,
  vibration: 1.3,
  ambient: 1,
};

/** Ramp of a process shift into (and out of) its new state, ms. */
const SHIFT_RAMP = 15 * MIN;

/**
 * The `process_shift` scenario: one process shift (12–36 h) in each of up to
 * `count` machine-weeks that hold no other fault, 12 h from the week's edges.
 */
export function planProcessShifts(
  assets: ReadonlyArray<{ name: string }>,
  weeks: ReadonlyArray<[number, number]>,
  taken: readonly LabelledFault[],
  count: number,
  rng: Rng,
): LabelledFault[] {
  const free = shuffle(
    assets.flatMap((a) =>
      weeks.flatMap((_, w) =>
        taken.some((f) => f.asset === a.name && f.chunk === w + 1) ? [] : [[a.name, w] as const]
      )
    ),
    rng,
  );
  return free.slice(0, count).map(([asset, w]) => {
    const [ws, we] = weeks[w];
    const length = 12 * HOUR + 24 * HOUR * rng.next();
    const at = ws + 12 * HOUR + (we - ws - 24 * HOUR - length) * rng.next();
    const round = (t: number) => Math.round(t / MIN) * MIN;
    return {
      asset,
      kind: "process_shift" as const,
      start: round(at),
      end: round(at + length),
      sensor: WHOLE_PROCESS,
      chunk: w + 1,
      wholeChunk: false,
      size: 1,
      sign: 1,
    };
  });
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
    } else if (f.kind === "process_shift") {
      const k = PROCESS_SHIFT[s.role] - 1;
      for (let i = a; i < b; i++) {
        const ramp = Math.min(1, (ts[i] - f.start) / SHIFT_RAMP, (f.end - ts[i]) / SHIFT_RAMP);
        gain[i] *= 1 + k * Math.max(0, ramp);
      }
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
