/**
 * Latent drivers of one asset of the labelled benchmark fleet (labelled_fleet.ts):
 * the operating regime (off / low / high) with start-up, shut-down and load ramps,
 * the load that follows the regime's set-point, and the site's ambient temperature
 * (daily swing, weather, and a seasonal rise that leaves the training range).
 * Every sensor is a (lagged, sometimes non-linear) function of these.
 */
import { createRng, type Rng } from "../rng.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Operating regimes of the set-point schedule. */
export type Regime = "off" | "low" | "high";

/** Per-row drivers, all of length `rows`. */
export interface LabelledDrivers {
  /** Run ramp: 0 stopped, 1 running, in between while starting or stopping. */
  run: Float64Array;
  /** Load fraction in [0.3, 1] (rate-limited towards the set-point; meaningful while running). */
  load: Float64Array;
  /** Ambient temperature, °C. */
  ambient: Float64Array;
  /** Planned stops, [start, end) epoch ms. */
  stops: Array<[number, number]>;
  /** Times the load set-point changed (start of a load ramp), epoch ms. */
  ramps: number[];
}

/** What the schedule must respect. */
export interface DriverInput {
  timestamps: Float64Array;
  /** End of the training chunk (epoch ms). */
  trainEnd: number;
  /** Whether the training chunk contains a stop (some assets' training never sees "off"). */
  trainStop: boolean;
  /** Windows where the machine keeps running (faults), [start, end) epoch ms. */
  mustRun: Array<[number, number]>;
  /** Start-up and shut-down ramp lengths in minutes. */
  rampUpMin: number;
  rampDownMin: number;
  /** Seasonal ambient rise in °C per week (measured from the first timestamp). */
  seasonalCPerWeek: number;
  /** Seed of the weather: assets of one site share it (and so their ambient). */
  weatherSeed: number;
}

/** Stops: one in training when asked, then 0–2 a week, 2–10 h long, away from `mustRun`. */
function planStops(input: DriverInput, rng: Rng): Array<[number, number]> {
  const ts = input.timestamps;
  const t0 = ts[0], tEnd = ts[ts.length - 1];
  const stops: Array<[number, number]> = [];
  if (input.trainStop) {
    const s = t0 + (input.trainEnd - t0) * (0.3 + 0.3 * rng.next());
    stops.push([s, s + (3 + 5 * rng.next()) * HOUR]);
  }
  for (let week = input.trainEnd; week < tEnd; week += 7 * DAY) {
    const count = rng.int(3);
    for (let k = 0; k < count; k++) {
      const s = week + 7 * DAY * rng.next();
      stops.push([s, s + (2 + 8 * rng.next()) * HOUR]);
    }
  }
  const round = (t: number) => Math.round(t / MIN) * MIN;
  const margin = 3 * HOUR;
  return stops
    .map(([a, b]): [number, number] => [round(a), round(b)])
    .filter(([a, b]) => a > t0 + 6 * HOUR && b < tEnd - HOUR)
    .filter(([a, b]) => input.mustRun.every(([fa, fb]) => b + margin <= fa || a >= fb + margin))
    .sort((x, y) => x[0] - y[0])
    .filter((s, i, all) => i === 0 || s[0] > all[i - 1][1] + 2 * HOUR);
}

/** Load set-points: low (0.40–0.55) and high (0.82–0.97) alternating every 4–30 h. */
function setpoints(ts: Float64Array, rng: Rng): { sp: Float64Array; ramps: number[] } {
  const out = new Float64Array(ts.length);
  const ramps: number[] = [];
  let high = rng.next() < 0.5, level = 0, until = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] >= until) {
      high = !high;
      level = high ? 0.82 + 0.15 * rng.next() : 0.4 + 0.15 * rng.next();
      until = ts[i] + (4 + 26 * rng.next()) * HOUR;
      if (i > 0) ramps.push(ts[i]);
    }
    out[i] = level;
  }
  return { sp: out, ramps };
}

/**
 * Builds run, load and ambient for every row. Load moves towards its set-point at
 * most 2 %/min (a low→high change is a ~20 min ramp) plus slow AR(1) noise; ambient is
 * 8 °C + 5 °C daily swing + AR(1) weather (σ 1.5 °C, τ 1 day) + the seasonal rise.
 */
export function buildLabelledDrivers(input: DriverInput, rng: Rng): LabelledDrivers {
  const ts = input.timestamps;
  const n = ts.length;
  const stops = planStops(input, rng.fork("stops"));
  const { sp, ramps } = setpoints(ts, rng.fork("setpoints"));
  const noise = rng.fork("load-noise"), weather = createRng(input.weatherSeed);
  const run = new Float64Array(n), load = new Float64Array(n), ambient = new Float64Array(n);
  const arLoad = Math.exp(-1 / 45), arWeather = Math.exp(-1 / 1440);
  let r = 1, l = sp[0], eps = 0, w = 0, k = 0, prev = ts[0];
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    const dtMin = Math.max(1, (t - prev) / MIN);
    prev = t;
    while (k < stops.length && stops[k][1] <= t) k++;
    const stopped = k < stops.length && t >= stops[k][0];
    r = stopped
      ? Math.max(0, r - dtMin / input.rampDownMin)
      : Math.min(1, r + dtMin / input.rampUpMin);
    eps = arLoad * eps + Math.sqrt(1 - arLoad * arLoad) * 0.02 * noise.normal();
    const step = Math.max(-0.02 * dtMin, Math.min(0.02 * dtMin, sp[i] - l));
    l += step;
    load[i] = Math.min(1, Math.max(0.3, l + eps));
    run[i] = r;
    const hour = ((t % DAY) + DAY) % DAY / HOUR;
    w = arWeather * w + Math.sqrt(1 - arWeather * arWeather) * 1.5 * weather.normal();
    const season = input.seasonalCPerWeek * (t - ts[0]) / (7 * DAY);
    ambient[i] = 8 + 5 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + w + season;
  }
  return { run, load, ambient, stops, ramps };
}
