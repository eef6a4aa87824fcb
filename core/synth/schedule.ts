/**
 * Operating drivers of one synthetic asset: when it runs (with start-up and
 * shut-down ramps), at what load (low/high set-points, a daily pattern, slow
 * noise) and the site's ambient temperature. Every sensor is a function of these.
 */
import type { Rng } from "../rng.ts";
import type { AssetType } from "./assets.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Per-row drivers, all of length `rows`. */
export interface Drivers {
  /** Run ramp: 0 stopped, 1 fully running, in between while starting or stopping. */
  run: Float64Array;
  /** Load set-point fraction in [0.2, 1] (meaningful while running). */
  load: Float64Array;
  /** Ambient temperature, °C. */
  ambient: Float64Array;
  /** Planned stops, [start, end) epoch ms. */
  stops: Array<[number, number]>;
}

/** What the schedule must respect. */
export interface ScheduleInput {
  type: AssetType;
  timestamps: Float64Array;
  /** Cadence in seconds. */
  cadenceS: number;
  /** End of the training window (epoch ms): one stop is placed before it. */
  trainEnd: number;
  /** Windows in which the machine must keep running (injected faults), [start, end) ms. */
  mustRun: Array<[number, number]>;
}

const RAMP_MIN: Record<AssetType, { up: number; down: number }> = {
  pump: { up: 10, down: 5 },
  fan: { up: 20, down: 10 },
  turbine: { up: 40, down: 20 },
};

/** Planned stops: one inside the training window, then a type-specific pattern. */
function planStops(input: ScheduleInput, rng: Rng): Array<[number, number]> {
  const t0 = input.timestamps[0];
  const tEnd = input.timestamps[input.timestamps.length - 1];
  const span = tEnd - t0;
  const stops: Array<[number, number]> = [];
  // One stop in training, around 40 % of it, 3–8 h long: the first chunk sees every regime.
  const trainSpan = input.trainEnd - t0;
  const s0 = t0 + trainSpan * (0.35 + 0.1 * rng.next());
  stops.push([s0, s0 + (3 + 5 * rng.next()) * HOUR]);
  const day0 = Math.floor(t0 / DAY) * DAY;
  for (let day = day0; day < tEnd; day += DAY) {
    let start: number, length: number;
    if (input.type === "turbine") {
      if (rng.next() > 0.45) continue; // peaking unit: off on some nights
      start = day + (21.5 + 2 * rng.next()) * HOUR;
      length = (5 + 3 * rng.next()) * HOUR;
    } else if (input.type === "fan") {
      if (rng.next() > 0.2) continue; // short night stops
      start = day + (0.5 + 3 * rng.next()) * HOUR;
      length = (1 + 2 * rng.next()) * HOUR;
    } else {
      if (rng.next() > 0.22) continue; // pump: an occasional stop, any time
      start = day + 24 * rng.next() * HOUR;
      length = (2 + 6 * rng.next()) * HOUR;
    }
    stops.push([start, start + length]);
  }
  const margin = 3 * HOUR;
  return stops
    .filter(([a, b]) => a > t0 + 2 * HOUR && b < t0 + span)
    .filter(([a, b]) => input.mustRun.every(([fa, fb]) => b + margin <= fa || a >= fb + margin))
    .sort((x, y) => x[0] - y[0])
    .filter((s, i, all) => i === 0 || s[0] > all[i - 1][1] + HOUR);
}

/** Low/high load set-points with random durations, switching alternately. */
function setpoints(input: ScheduleInput, rng: Rng): Float64Array {
  const ts = input.timestamps;
  const out = new Float64Array(ts.length);
  let high = rng.next() < 0.5;
  let level = 0;
  let until = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] >= until) {
      high = !high;
      level = high ? 0.78 + 0.17 * rng.next() : 0.38 + 0.17 * rng.next();
      until = ts[i] + (6 + 30 * rng.next()) * HOUR;
    }
    out[i] = level;
  }
  return out;
}

/** Builds run ramp, load and ambient for every row. */
export function buildDrivers(input: ScheduleInput, rng: Rng): Drivers {
  const ts = input.timestamps;
  const n = ts.length;
  const dtMin = input.cadenceS / 60;
  const stops = planStops(input, rng.fork("stops"));
  const sp = setpoints(input, rng.fork("setpoints"));
  const noise = rng.fork("load-noise");
  const weather = rng.fork("weather");
  const run = new Float64Array(n);
  const load = new Float64Array(n);
  const ambient = new Float64Array(n);
  const ramp = RAMP_MIN[input.type];
  const dailyAmp = input.type === "fan" ? 0.14 : input.type === "turbine" ? 0.1 : 0.05;
  const lagLoad = 1 - Math.exp(-dtMin / 15);
  const arNoise = Math.exp(-dtMin / 30);
  const arWeather = Math.exp(-dtMin / (24 * 60));
  let r = 1, l = sp[0], eps = 0, w = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    while (k < stops.length && stops[k][1] <= t) k++;
    const stopped = k < stops.length && t >= stops[k][0] && t < stops[k][1];
    r = stopped ? Math.max(0, r - dtMin / ramp.down) : Math.min(1, r + dtMin / ramp.up);
    const hour = ((t % DAY) + DAY) % DAY / HOUR;
    const daily = dailyAmp * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    eps = arNoise * eps + Math.sqrt(1 - arNoise * arNoise) * 0.025 * noise.normal();
    l += (sp[i] + daily + eps - l) * lagLoad;
    load[i] = Math.min(1, Math.max(0.2, l));
    run[i] = r;
    w = arWeather * w + Math.sqrt(1 - arWeather * arWeather) * 2.5 * weather.normal();
    ambient[i] = 14 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + w;
  }
  return { run, load, ambient, stops };
}
