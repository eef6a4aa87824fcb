/**
 * The `seasonal_drift` scenario of the labelled fleet: normal, unlabelled slow
 * change beyond training. The site's seasonal ambient rise is steeper (3 °C a
 * week instead of 1.5), and every temperature sensor's baseline drifts at its own
 * slow rate after training — cooling that degrades with the season, a heat
 * exchanger fouling and being cleaned — by 0.4–0.8 noise σ per week, either sign:
 * 3–6 σ by the last week, yet 20–50 times slower than a labelled drift fault
 * (8–12 σ over 3–5 days). A model that follows slow change should not alarm on it;
 * a model frozen at training will.
 */
import type { Rng } from "../rng.ts";
import type { LabelledSensor } from "./labelled_sensors.ts";

const WEEK = 7 * 86_400_000;

/** Seasonal ambient rise of the scenario, °C per week. */
export const SEASONAL_DRIFT_C_PER_WEEK = 3;

/** Slowest and fastest baseline drift of a temperature sensor, noise σ per week. */
export const SEASONAL_DRIFT_SIGMA_PER_WEEK: readonly [number, number] = [0.4, 0.8];

/**
 * Adds the sensor's slow baseline drift (zero until `trainEnd`, then linear in
 * time) to `base` in place; only temperature sensors drift. Returns the rate
 * applied (sensor units per week; 0 for other roles).
 */
export function addSeasonalDrift(
  s: LabelledSensor,
  base: Float64Array,
  ts: Float64Array,
  trainEnd: number,
  rng: Rng,
): number {
  if (s.role !== "temperature") return 0;
  const [lo, hi] = SEASONAL_DRIFT_SIGMA_PER_WEEK;
  const rate = (rng.next() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng.next()) * s.noise;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] > trainEnd) base[i] += rate * (ts[i] - trainEnd) / WEEK;
  }
  return rate;
}
