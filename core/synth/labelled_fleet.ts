/**
 * The labelled benchmark fleet of `acm eval fleet`: 4 rotating machines with 9, 16,
 * 24 and 40 sensors at 1-minute cadence, a 14-day fault-free training chunk, then 7
 * weekly chunks holding 23 injected faults (labelled_faults.ts). The machines share
 * the site's ambient (one weather series, a seasonal rise of 1.5 °C a week that
 * leaves the training range); each has its own off/low/high schedule with ramps
 * (labelled_drivers.ts; the 16- and 40-sensor machines never stop during training)
 * and sensors that are lagged, partly non-linear functions of load, speed and
 * ambient (labelled_sensors.ts). Missing data: 0.1 % random cells, three 10–120 min
 * blocks on one sensor and one 20–60 min outage (rows absent) per machine.
 * Pure and seeded: the same seed gives the same data bit for bit.
 */
import { lowerBound } from "../numeric/lower_bound.ts";
import { type Frame, makeFrame } from "../frame.ts";
import { createRng, type Rng } from "../rng.ts";
import { buildLabelledDrivers } from "./labelled_drivers.ts";
import { cleanSignal, type LabelledSensor, labelledSensors } from "./labelled_sensors.ts";
import {
  composeColumn,
  type LabelledFault,
  planLabelledFaults,
  planProcessShifts,
  WHOLE_PROCESS,
} from "./labelled_faults.ts";
import { addSeasonalDrift, SEASONAL_DRIFT_C_PER_WEEK } from "./labelled_season.ts";

const MIN = 60_000;
const DAY = 1440 * MIN;

/** Scenarios of the generator. */
export type LabelledScenario = "standard" | "process_shift" | "seasonal_drift";

/** Names of the scenarios, for command lines. */
export const LABELLED_SCENARIOS: readonly LabelledScenario[] = [
  "standard",
  "process_shift",
  "seasonal_drift",
];

/** Generator settings (the benchmark uses the defaults; only the seed changes). */
export interface LabelledFleetOptions {
  seed: number;
  /** Sensors per machine (default [9, 16, 24, 40]). */
  sensors?: readonly number[];
  /** Training chunk in days (default 14) and number of weekly chunks (default 7). */
  trainDays?: number;
  weeks?: number;
  /** First timestamp, naive ISO (default 2025-01-06T00:00:00). */
  start?: string;
  /**
   * "standard" (default): the 23 faults. "process_shift": the same 23 plus up to 4
   * process shifts (labelled_faults.ts) in fault-free machine-weeks; the machines
   * with a shift get a new stop schedule (stops keep clear of every fault), the
   * others keep their standard data. "seasonal_drift": the 23 faults on a site whose
   * ambient rises faster and whose temperature sensors' baselines drift slowly after
   * training (labelled_season.ts), unlabelled normal change.
   */
  scenario?: LabelledScenario;
}

/** One generated machine. */
export interface LabelledAsset {
  name: string;
  sensors: LabelledSensor[];
  /** All rows (training + weekly chunks), outage rows removed. */
  frame: Frame;
  /** Planned stops, [start, end) epoch ms. */
  stops: Array<[number, number]>;
  /** Times the load set-point changed (start of a load ramp), epoch ms. */
  ramps: number[];
  /** Whether the training chunk contains a stop. */
  trainStop: boolean;
}

/** A generated fleet and its ground truth. */
export interface LabelledFleet {
  seed: number;
  start: number;
  trainEnd: number;
  end: number;
  /** The weekly chunks, [start, end) epoch ms. */
  weeks: Array<[number, number]>;
  assets: LabelledAsset[];
  faults: LabelledFault[];
}

/** Machine names, ramp minutes (up, down) and whether training sees a stop, by position. */
const MACHINES = [
  { name: "PUMP", up: 10, down: 5, trainStop: true },
  { name: "FAN", up: 20, down: 10, trainStop: false },
  { name: "COMPRESSOR", up: 30, down: 15, trainStop: true },
  { name: "TURBINE", up: 45, down: 20, trainStop: false },
];

/** AR(1) noise with marginal σ `sd` and coefficient `phi`. */
function arNoise(n: number, sd: number, phi: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  const k = Math.sqrt(1 - phi * phi) * sd;
  let e = sd * rng.normal();
  for (let i = 0; i < n; i++) out[i] = e = phi * e + k * rng.normal();
  return out;
}

/** Generates the fleet of `options.seed` (see the module comment). */
export function generateLabelledFleet(options: LabelledFleetOptions): LabelledFleet {
  const counts = options.sensors ?? [9, 16, 24, 40];
  const trainDays = options.trainDays ?? 14, weekCount = options.weeks ?? 7;
  const start = Date.parse(`${options.start ?? "2025-01-06T00:00:00"}Z`);
  if (!Number.isFinite(start)) {
    throw new RangeError(`Cannot generate fleet: start "${options.start}" is not an ISO timestamp`);
  }
  const trainEnd = start + trainDays * DAY, end = trainEnd + weekCount * 7 * DAY;
  const weeks = Array.from(
    { length: weekCount },
    (_, w): [number, number] => [trainEnd + w * 7 * DAY, trainEnd + (w + 1) * 7 * DAY],
  );
  const rows = (end - start) / MIN;
  const ts = new Float64Array(rows);
  for (let i = 0; i < rows; i++) ts[i] = start + i * MIN;
  const dtMin = new Float64Array(rows).fill(1);
  const root = createRng(options.seed);
  const weatherSeed = root.fork("site").int(2 ** 31);
  const specs = counts.map((count, a) => {
    const m = MACHINES[a % MACHINES.length];
    const suffix = String.fromCharCode(65 + a);
    const rng = root.fork(`asset:${a}`);
    return { m, rng, name: `${m.name}_${suffix}`, sensors: labelledSensors(count, rng.fork("s")) };
  });
  const faults = planLabelledFaults(specs, weeks, root.fork("faults"));
  if (options.scenario === "process_shift") {
    faults.push(...planProcessShifts(specs, weeks, faults, 4, createRng(options.seed ^ 0x5a17)));
    faults.sort((x, y) => x.asset.localeCompare(y.asset) || x.start - y.start);
  }
  const fleet: LabelledFleet = {
    seed: options.seed,
    start,
    trainEnd,
    end,
    weeks,
    assets: [],
    faults,
  };
  const seasonal = options.scenario === "seasonal_drift";
  // its own generator, so the scenario leaves every other draw as in "standard"
  const seasonRng = createRng((options.seed ^ 0x5ea50) >>> 0);
  for (const { m, rng, name, sensors } of specs) {
    const mine = faults.filter((f) => f.asset === name);
    const drivers = buildLabelledDrivers({
      timestamps: ts,
      trainEnd,
      trainStop: m.trainStop,
      mustRun: mine.filter((f) => !f.wholeChunk).map((f): [number, number] => [f.start, f.end]),
      rampUpMin: m.up,
      rampDownMin: m.down,
      seasonalCPerWeek: seasonal ? SEASONAL_DRIFT_C_PER_WEEK : 1.5,
      weatherSeed,
    }, rng.fork("drivers"));
    const values = new Float64Array(rows * sensors.length);
    sensors.forEach((s, j) => {
      const parts = cleanSignal(s, drivers, dtMin);
      if (seasonal) {
        addSeasonalDrift(s, parts.base, ts, trainEnd, seasonRng.fork(`${name}:${s.name}`));
      }
      const noise = arNoise(rows, s.noise, s.noiseAr, rng.fork(`noise:${s.name}`));
      if (s.role === "vibration") {
        for (let i = 0; i < rows; i++) {
          noise[i] *= 0.3 + drivers.run[i] * (0.55 + 0.45 * drivers.load[i]);
        }
      }
      const col = values.subarray(j * rows, (j + 1) * rows);
      const hits = mine.filter((f) => f.sensor === s.name || f.sensor === WHOLE_PROCESS);
      composeColumn(s, { ...parts, noise }, ts, hits, col);
    });
    fleet.assets.push({
      name,
      sensors,
      frame: withMissing(sensors, values, ts, trainEnd, rng.fork("missing")),
      stops: drivers.stops,
      ramps: drivers.ramps,
      trainStop: m.trainStop,
    });
  }
  return fleet;
}

/** Puts the missing data in (see the module comment) and returns the frame. */
function withMissing(
  sensors: readonly LabelledSensor[],
  values: Float64Array,
  ts: Float64Array,
  trainEnd: number,
  rng: Rng,
): Frame {
  const rows = ts.length, cols = sensors.length;
  for (let k = 0; k < values.length; k++) if (rng.next() < 0.001) values[k] = NaN;
  for (let b = 0; b < 3; b++) {
    const j = rng.int(cols), len = 10 + rng.int(111), at = rng.int(rows - len);
    values.fill(NaN, j * rows + at, j * rows + at + len);
  }
  const first = lowerBound(ts, trainEnd);
  const len = 20 + rng.int(41), at = first + rng.int(rows - first - len);
  const keep = rows - len;
  const out = new Float64Array(keep * cols), kept = new Float64Array(keep);
  for (let i = 0, k = 0; i < rows; i++) if (i < at || i >= at + len) kept[k++] = ts[i];
  for (let j = 0; j < cols; j++) {
    const src = values.subarray(j * rows, (j + 1) * rows),
      dst = out.subarray(j * keep, (j + 1) * keep);
    dst.set(src.subarray(0, at), 0);
    dst.set(src.subarray(at + len), at);
  }
  return makeFrame({ columns: sensors.map((s) => s.name), values: out, timestamps: kept });
}
