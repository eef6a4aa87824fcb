/**
 * Sensor catalogue of the synthetic fleet: what sensors each asset type carries and
 * the physical parameters the generator turns into values (see fleet.ts for the
 * formulas per role). Extra sensors for large profiles are derived deterministically.
 */
import type { Rng } from "../rng.ts";

/** The three kinds of machine the generator knows. */
export type AssetType = "pump" | "fan" | "turbine";

/** All asset types, in the order default fleets cycle through them. */
export const ASSET_TYPES: readonly AssetType[] = ["pump", "fan", "turbine"];

/** What physical quantity a sensor measures; decides its formula. */
export type SensorRole =
  | "speed"
  | "current"
  | "power"
  | "pressure"
  | "flow"
  | "temperature"
  | "ambient"
  | "vibration"
  | "position";

/** One sensor and the parameters of its formula. */
export interface SensorSpec {
  name: string;
  role: SensorRole;
  /** Value at full load (for temperatures: at full load and 15 °C ambient). */
  nominal: number;
  /** Value when stopped (no-load current, static pressure, cold temperature, idle vibration). */
  base: number;
  /** Thermal time constant in minutes (temperatures; 0 = no lag). */
  tauMin: number;
  /** Exponent on the driver (pressure ∝ speed², temperature rise ∝ load^n, ...). */
  exponent: number;
  /** Measurement noise, standard deviation in the sensor's units. */
  noise: number;
  /** Decimals the value is rounded to, like a historian would store it. */
  decimals: number;
}

type Row = [SensorRole, number, number, number, number, number, number];
const spec = (name: string, r: Row): SensorSpec => ({
  name,
  role: r[0],
  nominal: r[1],
  base: r[2],
  tauMin: r[3],
  exponent: r[4],
  noise: r[5],
  decimals: r[6],
});

// [role, nominal, base, tauMin, exponent, noise, decimals]
const PUMP: Array<[string, Row]> = [
  ["SPEED_RPM", ["speed", 2950, 0, 0, 1, 4, 0]],
  ["MOTOR_CURRENT_A", ["current", 182, 38, 0, 1, 1.2, 2]],
  ["MOTOR_POWER_KW", ["power", 110, 0, 0, 1, 0.8, 2]],
  ["DISCHARGE_PRESS_BAR", ["pressure", 9.6, 1.4, 0, 2, 0.05, 3]],
  ["VIB_DE_MMS", ["vibration", 2.4, 0.05, 0, 2, 0.12, 3]],
  ["WINDING_TEMP_C", ["temperature", 98, 18, 25, 1.6, 0.3, 2]],
  ["BEARING_DE_TEMP_C", ["temperature", 66, 17, 45, 1.2, 0.25, 2]],
  ["FLOW_M3H", ["flow", 420, 0, 0, 1, 3, 1]],
  ["SUCTION_PRESS_BAR", ["pressure", 1.1, 1.4, 0, 2, 0.02, 3]],
  ["VIB_NDE_MMS", ["vibration", 1.8, 0.04, 0, 2, 0.1, 3]],
  ["BEARING_NDE_TEMP_C", ["temperature", 58, 17, 50, 1.2, 0.25, 2]],
  ["FLUID_TEMP_C", ["temperature", 42, 24, 90, 1, 0.15, 2]],
];

const FAN: Array<[string, Row]> = [
  ["DAMPER_POS_PCT", ["position", 92, 18, 0, 1, 0.4, 2]],
  ["MOTOR_CURRENT_A", ["current", 64, 14, 0, 1, 0.5, 2]],
  ["MOTOR_POWER_KW", ["power", 540, 0, 0, 1, 4, 1]],
  ["OUTLET_PRESS_KPA", ["pressure", 6.2, 0.1, 0, 2, 0.04, 3]],
  ["VIB_BRG_MMS", ["vibration", 3.1, 0.06, 0, 2, 0.15, 3]],
  ["WINDING_TEMP_C", ["temperature", 92, 16, 30, 1.5, 0.3, 2]],
  ["BEARING_TEMP_C", ["temperature", 61, 16, 55, 1.2, 0.25, 2]],
  ["AIR_FLOW_KNM3H", ["flow", 310, 0, 0, 1, 2.5, 1]],
  ["SPEED_RPM", ["speed", 990, 0, 0, 1, 2, 0]],
  ["INLET_TEMP_C", ["ambient", 0, 15, 0, 1, 0.2, 2]],
  ["OUTLET_TEMP_C", ["temperature", 34, 15, 20, 1, 0.2, 2]],
  ["VIB_MOTOR_MMS", ["vibration", 1.6, 0.05, 0, 2, 0.08, 3]],
];

const TURBINE: Array<[string, Row]> = [
  ["LOAD_MW", ["power", 165, 0, 0, 1, 0.6, 2]],
  ["GEN_CURRENT_A", ["current", 7400, 120, 0, 1, 25, 1]],
  ["SPEED_RPM", ["speed", 3000, 0, 0, 1, 1.5, 1]],
  ["COMP_DISCH_PRESS_BAR", ["pressure", 15.8, 1.0, 0, 2, 0.06, 3]],
  ["VIB_BRG1_MMS", ["vibration", 4.2, 0.08, 0, 2, 0.18, 3]],
  ["EXHAUST_TEMP_C", ["temperature", 590, 40, 12, 1, 2.5, 1]],
  ["LUBE_OIL_TEMP_C", ["temperature", 54, 22, 80, 1, 0.2, 2]],
  ["FUEL_FLOW_KGS", ["flow", 9.4, 0, 0, 1, 0.05, 3]],
  ["BEARING1_TEMP_C", ["temperature", 96, 24, 40, 1.2, 0.3, 2]],
  ["BEARING2_TEMP_C", ["temperature", 91, 24, 40, 1.2, 0.3, 2]],
  ["VIB_BRG2_MMS", ["vibration", 3.6, 0.07, 0, 2, 0.16, 3]],
  ["COMP_DISCH_TEMP_C", ["temperature", 395, 20, 8, 1, 1.5, 1]],
  ["AXIAL_DISP_MM", ["position", 0.42, 0.05, 0, 1, 0.004, 4]],
  ["AMBIENT_TEMP_C", ["ambient", 0, 15, 0, 1, 0.15, 2]],
];

const CATALOGUE: Record<AssetType, Array<[string, Row]>> = {
  pump: PUMP,
  fan: FAN,
  turbine: TURBINE,
};

/** The built-in sensors of an asset type, in catalogue order. */
export function baseSensors(type: AssetType): SensorSpec[] {
  return CATALOGUE[type].map(([name, row]) => spec(name, row));
}

const EXTRA_ROLES: readonly SensorRole[] = [
  "temperature",
  "vibration",
  "pressure",
  "temperature",
  "flow",
  "current",
  "temperature",
  "vibration",
];
const EXTRA_UNITS: Record<string, string> = {
  temperature: "TEMP_C",
  vibration: "VIB_MMS",
  pressure: "PRESS_BAR",
  flow: "FLOW_M3H",
  current: "CURRENT_A",
};

/** An extra sensor (beyond the catalogue) with parameters drawn from `rng`. */
function extraSensor(index: number, rng: Rng): SensorSpec {
  const role = EXTRA_ROLES[index % EXTRA_ROLES.length];
  const name = `X${String(index + 1).padStart(3, "0")}_${EXTRA_UNITS[role]}`;
  const u = () => rng.next();
  switch (role) {
    case "temperature":
      return spec(name, [role, 45 + 70 * u(), 15 + 8 * u(), 10 + 80 * u(), 1 + 0.6 * u(), 0.25, 2]);
    case "vibration":
      return spec(name, [role, 1 + 3 * u(), 0.04 + 0.04 * u(), 0, 2, 0.08 + 0.08 * u(), 3]);
    case "pressure":
      return spec(name, [role, 3 + 12 * u(), 0.5 + u(), 0, 2, 0.04, 3]);
    case "flow":
      return spec(name, [role, 50 + 400 * u(), 0, 0, 1, 1.5, 1]);
    default:
      return spec(name, [role, 40 + 200 * u(), 5 + 10 * u(), 0, 1, 0.8, 2]);
  }
}

/**
 * The sensors of one asset: the first `count` catalogue sensors, followed by
 * derived extras when `count` exceeds the catalogue (large benchmark profiles).
 */
export function assetSensors(type: AssetType, count: number | undefined, rng: Rng): SensorSpec[] {
  const base = baseSensors(type);
  const n = count ?? base.length;
  if (n <= base.length) return base.slice(0, Math.max(1, n));
  const extras: SensorSpec[] = [];
  for (let i = 0; i < n - base.length; i++) extras.push(extraSensor(i, rng));
  return [...base, ...extras];
}

/** Default asset names: PUMP_A, FAN_B, TURBINE_C, PUMP_D, ... (a number is added past Z). */
export function defaultAssetNames(count: number): Array<{ name: string; type: AssetType }> {
  const out: Array<{ name: string; type: AssetType }> = [];
  for (let i = 0; i < count; i++) {
    const type = ASSET_TYPES[i % ASSET_TYPES.length];
    const letter = String.fromCharCode(65 + (i % 26));
    const round = Math.floor(i / 26);
    out.push({ name: `${type.toUpperCase()}_${letter}${round > 0 ? round + 1 : ""}`, type });
  }
  return out;
}
