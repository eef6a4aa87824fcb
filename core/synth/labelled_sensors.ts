/**
 * Sensors of the labelled benchmark fleet: what each one measures and its clean
 * (noise-free, fault-free) value from the latent drivers (labelled_drivers.ts).
 * With run r, load L, speed fraction s = r·(0.55 + 0.45·L), ambient Ta and X_τ a
 * first-order lag of X with time constant τ:
 *   speed = g·s;  current = o·r + g·r·L_τ;  power = g·r·L_τ^1.15;  flow = g·s_τ·(0.8 + 0.2·L_τ);
 *   pressure = o + g·s_τ² (non-linear);  vibration = o + g·s²;  ambient = o + Ta;
 *   temperature = (o + a·Ta + g·(r·L)^n)_τ with n 1.3–1.7 and τ 15–90 min (non-linear, lagged).
 * Each value is split into `base` (what it reads when stopped) and `driven` (the
 * load-driven part) so a gain fault can change the relation without moving the base.
 */
import type { Rng } from "../rng.ts";
import type { LabelledDrivers } from "./labelled_drivers.ts";

/** What a sensor measures; decides its formula. */
export type LabelledRole =
  | "speed"
  | "current"
  | "power"
  | "flow"
  | "pressure"
  | "temperature"
  | "vibration"
  | "ambient";

/** One sensor and the parameters of its formula. */
export interface LabelledSensor {
  name: string;
  role: LabelledRole;
  /** Gain g of the driven part (units of the sensor). */
  gain: number;
  /** Offset o (the stopped reading). */
  offset: number;
  /** Lag τ in minutes (0 = none). */
  tauMin: number;
  /** Exponent n (temperatures). */
  exponent: number;
  /** Ambient coefficient a (temperatures). */
  ambientCoeff: number;
  /** Measurement noise σ (sensor units) and its AR(1) coefficient. */
  noise: number;
  noiseAr: number;
  decimals: number;
}

/** The first nine roles (the 9-sensor asset), then the roles extra sensors cycle through. */
const CORE: readonly LabelledRole[] = [
  "speed",
  "current",
  "power",
  "flow",
  "pressure",
  "temperature",
  "vibration",
  "temperature",
  "ambient",
];
const EXTRA: readonly LabelledRole[] = [
  "temperature",
  "vibration",
  "pressure",
  "current",
  "temperature",
  "flow",
  "temperature",
  "vibration",
];
const UNIT: Record<LabelledRole, string> = {
  speed: "SPEED_RPM",
  current: "CURRENT_A",
  power: "POWER_KW",
  flow: "FLOW_M3H",
  pressure: "PRESS_BAR",
  temperature: "TEMP_C",
  vibration: "VIB_MMS",
  ambient: "AMBIENT_C",
};

/** Parameters of a sensor of `role`, drawn from `rng`. */
function draw(name: string, role: LabelledRole, rng: Rng): LabelledSensor {
  const u = () => rng.next();
  const s = (
    gain: number,
    offset: number,
    tauMin: number,
    noise: number,
    decimals: number,
    extra: Partial<LabelledSensor> = {},
  ): LabelledSensor => ({
    name,
    role,
    gain,
    offset,
    tauMin,
    exponent: 1,
    ambientCoeff: 0,
    noise,
    noiseAr: 0.3 + 0.5 * u(),
    decimals,
    ...extra,
  });
  switch (role) {
    case "speed":
      return s(1480 + 1500 * Math.round(u()), 0, 0, 2, 0);
    case "current": {
      const g = 80 + 200 * u();
      return s(g, 0.2 * g, 1 + 3 * u(), 0.008 * g, 2);
    }
    case "power": {
      const g = 50 + 400 * u();
      return s(g, 0, 2 * u(), 0.008 * g, 2);
    }
    case "flow": {
      const g = 100 + 400 * u();
      return s(g, 0, 2 + 4 * u(), 0.008 * g, 1);
    }
    case "pressure": {
      const g = 3 + 10 * u();
      return s(g, 0.8 + u(), 1 + 3 * u(), 0.006 * g, 3);
    }
    case "vibration": {
      const g = 1.5 + 3 * u();
      return s(g, 0.05, 0, 0.03 * g, 3);
    }
    case "ambient":
      return s(0, 0.5 * u(), 0, 0.15, 2);
    case "temperature":
      return s(30 + 50 * u(), 4 * u(), 15 + 75 * u(), 0.2, 2, {
        exponent: 1.3 + 0.4 * u(),
        ambientCoeff: 0.7 + 0.3 * u(),
      });
  }
}

/** `count` sensors: the nine core roles first, then extras; named `S01_SPEED_RPM`, ... */
export function labelledSensors(count: number, rng: Rng): LabelledSensor[] {
  const out: LabelledSensor[] = [];
  for (let i = 0; i < count; i++) {
    const role = i < CORE.length ? CORE[i] : EXTRA[(i - CORE.length) % EXTRA.length];
    out.push(draw(`S${String(i + 1).padStart(2, "0")}_${UNIT[role]}`, role, rng));
  }
  return out;
}

/** First-order lag of `x` (τ in minutes, rows 1 minute apart), NaN-free input. */
function lagged(x: Float64Array, tauMin: number, dtMin: Float64Array): Float64Array {
  if (tauMin <= 0) return x;
  const out = new Float64Array(x.length);
  let y = x[0];
  for (let i = 0; i < x.length; i++) {
    y += (x[i] - y) * (1 - Math.exp(-dtMin[i] / tauMin));
    out[i] = y;
  }
  return out;
}

/** Clean value of `s` per row, split into its stopped reading and its driven part. */
export function cleanSignal(
  s: LabelledSensor,
  d: LabelledDrivers,
  dtMin: Float64Array,
): { base: Float64Array; driven: Float64Array } {
  const n = d.run.length;
  const base = new Float64Array(n), driven = new Float64Array(n);
  const speed = new Float64Array(n);
  for (let i = 0; i < n; i++) speed[i] = d.run[i] * (0.55 + 0.45 * d.load[i]);
  const loadT = lagged(d.load, s.role === "temperature" ? 0 : s.tauMin, dtMin);
  const speedT = lagged(speed, s.role === "temperature" ? 0 : s.tauMin, dtMin);
  for (let i = 0; i < n; i++) {
    const r = d.run[i];
    switch (s.role) {
      case "speed":
        driven[i] = s.gain * speed[i];
        break;
      case "current":
        driven[i] = s.offset * r + s.gain * r * loadT[i];
        break;
      case "power":
        driven[i] = s.gain * r * loadT[i] ** 1.15;
        break;
      case "flow":
        driven[i] = s.gain * speedT[i] * (0.8 + 0.2 * loadT[i]);
        break;
      case "pressure":
        base[i] = s.offset;
        driven[i] = s.gain * speedT[i] ** 2;
        break;
      case "vibration":
        base[i] = s.offset;
        driven[i] = s.gain * speed[i] ** 2;
        break;
      case "ambient":
        base[i] = s.offset + d.ambient[i];
        break;
      case "temperature":
        base[i] = s.offset + s.ambientCoeff * d.ambient[i];
        driven[i] = s.gain * (r * d.load[i]) ** s.exponent;
        break;
    }
  }
  if (s.role === "temperature") {
    // The lag acts on the whole temperature; the driven part is what remains above the lagged base.
    const total = new Float64Array(n);
    for (let i = 0; i < n; i++) total[i] = base[i] + driven[i];
    const lb = lagged(base, s.tauMin, dtMin), lt = lagged(total, s.tauMin, dtMin);
    for (let i = 0; i < n; i++) {
      base[i] = lb[i];
      driven[i] = lt[i] - lb[i];
    }
  }
  return { base, driven };
}
