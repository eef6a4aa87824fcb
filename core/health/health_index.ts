/**
 * Health index 0–100 from the fused z: 100 for z ≤ 0, then a logistic fall
 * centred on `center_z` with width `width_z`, rescaled so that z = 0 gives
 * exactly 100:  h(z) = 100 · (1 − σ((z⁺ − c)/w)) / (1 − σ(−c/w)).
 * With the defaults (c = 4, w = 1): z 2 → 90, z 3 → 74, z 4 → 51, z 5 → 27, z 7 → 5.
 * Zones: GOOD ≥ `watch_below`, WATCH ≥ `alert_below`, ALERT below.
 * (V8 used 100/(1+z²), which fell to WATCH at |z| 0.42 — far too twitchy.)
 */
import type { HealthOptions } from "../pipeline/stage_schemas.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Health of one fused z value. */
export function healthOf(z: number, options: HealthOptions): number {
  if (!Number.isFinite(z)) return z === Infinity ? 0 : 100;
  const zp = z > 0 ? z : 0;
  const top = 1 - sigmoid(-options.center_z / options.width_z);
  const h = (100 * (1 - sigmoid((zp - options.center_z) / options.width_z))) / top;
  return Math.min(100, Math.max(0, h));
}

/** Health per row. */
export function healthIndex(fused: Float64Array, options: HealthOptions): Float64Array {
  const out = new Float64Array(fused.length);
  for (let i = 0; i < fused.length; i++) out[i] = healthOf(fused[i], options);
  return out;
}

/** Zone of a health value. */
export function healthZone(health: number, options: HealthOptions): "GOOD" | "WATCH" | "ALERT" {
  return health >= options.watch_below ? "GOOD" : health >= options.alert_below ? "WATCH" : "ALERT";
}
