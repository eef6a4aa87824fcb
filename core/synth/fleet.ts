/**
 * Synthetic fleet generator: several assets with physically linked sensors,
 * operating regimes, measurement noise, missing values, one flatlined sensor,
 * and injected faults with known windows (never inside the training window).
 * Pure and seeded: the same options give the same frames bit for bit.
 *
 * Sensor model per role, with run ramp r ∈ [0,1], load L, effective load e = r·L,
 * speed fraction sf = r·(0.6 + 0.4·L) and ambient Ta:
 *   speed = nominal·sf; current = base·r + (nominal−base)·e; power = nominal·e·(0.92 + 0.08·L);
 *   pressure = base + (nominal−base)·sf^n; flow = nominal·sf·(0.7 + 0.3·L);
 *   position = r·(base + (nominal−base)·L); vibration = base + (nominal−base)·sf^n;
 *   temperature = first-order lag (τ) towards base + (Ta − 15) + (nominal−base)·e^n.
 */
import { type Frame, makeFrame } from "../frame.ts";
import { createRng, type Rng } from "../rng.ts";
import { assetSensors, type AssetType, defaultAssetNames, type SensorSpec } from "./assets.ts";
import { FAULT_KINDS, type FaultKind, type InjectedFault, planFaults, severity } from "./faults.ts";
import { buildDrivers, type Drivers } from "./schedule.ts";

export type { InjectedFault } from "./faults.ts";
export { writeFleetCsv } from "./fleet_csv.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Generator options; every field has a demo-sized default. */
export interface FleetOptions {
  /** Seed of every random draw (default 7). */
  seed?: number;
  /** Number of assets (named PUMP_A, FAN_B, TURBINE_C, ...) or explicit names/types (default 3). */
  assets?: number | Array<string | { name: string; type?: AssetType }>;
  /** Sensors per asset (default: the type's catalogue, 12–14); extras are derived beyond it. */
  sensors?: number;
  /** Length of the series in days (default 14). */
  days?: number;
  /** Sampling cadence in seconds (default 300). */
  cadenceS?: number;
  /** First timestamp, naive ISO `YYYY-MM-DDTHH:MM:SS` (default 2024-03-04T00:00:00). */
  start?: string;
  /** Training window in days from the start, free of faults (default min(7, days / 2)). */
  trainDays?: number;
  /** Faults per asset (default 2; kinds cycle so a default fleet shows all four). */
  faultsPerAsset?: number;
  /** Share of cells set to NaN at random (default 0.001). */
  missingRate?: number;
  /** Flatline one sensor on the second asset for the whole series (default true). */
  flatline?: boolean;
}

/** One generated asset. */
export interface FleetAsset {
  name: string;
  type: AssetType;
  sensors: SensorSpec[];
  frame: Frame;
  /** Planned stops, [start, end) epoch ms. */
  stops: Array<[number, number]>;
}

/** A data-quality feature deliberately put in the data (not a fault). */
export interface FleetNote {
  asset: string;
  sensor?: string;
  kind: "flatline" | "missing_block" | "missing_cells";
  message: string;
  count?: number;
}

/** A generated fleet and its ground truth. */
export interface Fleet {
  seed: number;
  cadenceS: number;
  start: number;
  end: number;
  /** End of the fault-free training window (epoch ms). */
  trainEnd: number;
  assets: FleetAsset[];
  faults: InjectedFault[];
  notes: FleetNote[];
}

function resolveAssets(spec: FleetOptions["assets"]): Array<{ name: string; type: AssetType }> {
  if (spec === undefined || typeof spec === "number") return defaultAssetNames(spec ?? 3);
  const defaults = defaultAssetNames(spec.length);
  return spec.map((a, i) => {
    const name = typeof a === "string" ? a : a.name;
    const given = typeof a === "string" ? undefined : a.type;
    const inferred = (["pump", "fan", "turbine"] as const).find((t) =>
      name.toLowerCase().includes(t)
    );
    return { name, type: given ?? inferred ?? defaults[i].type };
  });
}

/** Kinds for asset `i`: 2k steps apart so a default fleet covers all four kinds. */
function kindsFor(i: number, count: number): FaultKind[] {
  const out: FaultKind[] = [];
  for (let k = 0; k < Math.min(count, FAULT_KINDS.length); k++) {
    out.push(FAULT_KINDS[(i + 2 * k + Math.floor(k / 2)) % FAULT_KINDS.length]);
  }
  return out;
}

/** Fills column `out` for one sensor from the drivers, the faults touching it and noise. */
function sensorColumn(
  s: SensorSpec,
  d: Drivers,
  ts: Float64Array,
  cadenceS: number,
  faults: InjectedFault[],
  rng: Rng,
  out: Float64Array,
): void {
  const n = ts.length;
  const span = s.nominal - s.base;
  const lag = s.tauMin > 0 ? 1 - Math.exp(-cadenceS / 60 / s.tauMin) : 1;
  const mine = faults.filter((f) => f.sensors.includes(s.name));
  const scale = 10 ** s.decimals;
  let state = NaN;
  for (let i = 0; i < n; i++) {
    const r = d.run[i], L = d.load[i], e = r * L, sf = r * (0.6 + 0.4 * L);
    let wear = 0, cooling = 0, bias = 0, extraCurrent = 0;
    for (const f of mine) {
      const sev = severity(f, ts[i]);
      if (sev === 0) continue;
      if (f.kind === "bearing_wear") wear += sev;
      else if (f.kind === "cooling_degradation") cooling += sev;
      else if (f.kind === "sensor_bias") bias += sev * (0.06 * Math.abs(span) + 6 * s.noise);
      else if (f.kind === "decoupling" && s.role === "current") {
        extraCurrent += 0.18 * sev * span * e;
      }
    }
    let v: number;
    let noise = s.noise * rng.normal();
    switch (s.role) {
      case "speed":
        v = s.nominal * sf;
        break;
      case "current":
        v = s.base * r + span * e + extraCurrent;
        break;
      case "power":
        v = s.nominal * e * (0.92 + 0.08 * L);
        break;
      case "pressure":
        v = s.base + span * sf ** s.exponent;
        break;
      case "flow":
        v = s.nominal * sf * (0.7 + 0.3 * L);
        break;
      case "position":
        v = r * (s.base + span * L);
        break;
      case "vibration":
        v = s.base + span * sf ** s.exponent * (1 + 1.5 * wear);
        noise *= 0.3 + sf * (1 + wear);
        break;
      case "ambient":
        v = s.base + (d.ambient[i] - 15);
        break;
      case "temperature": {
        const target = s.base + (d.ambient[i] - 15) + span * e ** s.exponent +
          (6 * wear + 14 * cooling) * e;
        state = Number.isNaN(state) ? target : state + (target - state) * lag;
        v = state;
        break;
      }
    }
    if (s.role !== "ambient" && s.role !== "temperature" && r === 0) noise *= 0.2;
    const x = v + bias + noise;
    out[i] = Math.round(Math.max(s.role === "temperature" ? -40 : 0, x) * scale) / scale;
  }
}

/** Generates the fleet described by `options` (see FleetOptions for defaults). */
export function generateFleet(options: FleetOptions = {}): Fleet {
  const seed = options.seed ?? 7;
  const days = options.days ?? 14;
  const cadenceS = options.cadenceS ?? 300;
  const start = Date.parse(`${options.start ?? "2024-03-04T00:00:00"}Z`);
  if (!Number.isFinite(start)) {
    throw new RangeError(`Cannot generate fleet: start "${options.start}" is not an ISO timestamp`);
  }
  if (!(days > 0) || !(cadenceS > 0)) {
    throw new RangeError(
      `Cannot generate fleet: days "${days}" and cadence "${cadenceS}" must be > 0`,
    );
  }
  const rows = Math.floor((days * DAY) / (cadenceS * 1000));
  const end = start + rows * cadenceS * 1000;
  const trainEnd = start + Math.min(options.trainDays ?? Math.min(7, days / 2), days) * DAY;
  const missingRate = options.missingRate ?? 0.001;
  const root = createRng(seed);
  const ts = new Float64Array(rows);
  for (let i = 0; i < rows; i++) ts[i] = start + i * cadenceS * 1000;
  const names = resolveAssets(options.assets);
  const fleet: Fleet = { seed, cadenceS, start, end, trainEnd, assets: [], faults: [], notes: [] };
  names.forEach(({ name, type }, index) => {
    const rng = root.fork(`asset:${name}`);
    const sensors = assetSensors(type, options.sensors, rng.fork("sensors"));
    const kinds = kindsFor(index, options.faultsPerAsset ?? 2);
    const faults = planFaults(name, kinds, sensors, { trainEnd, end }, rng.fork("faults"));
    const mustRun = faults.map((f): [number, number] => [f.start, f.end]);
    const drivers = buildDrivers(
      { type, timestamps: ts, cadenceS, trainEnd, mustRun },
      rng.fork("ops"),
    );
    const values = new Float64Array(rows * sensors.length);
    sensors.forEach((s, j) => {
      const col = values.subarray(j * rows, (j + 1) * rows);
      sensorColumn(s, drivers, ts, cadenceS, faults, rng.fork(`noise:${s.name}`), col);
    });
    const flatline = (options.flatline ?? true) && index === (names.length > 1 ? 1 : 0);
    degrade(fleet, name, sensors, values, ts, { flatline, missingRate, faults, trainEnd }, rng);
    fleet.assets.push({
      name,
      type,
      sensors,
      frame: makeFrame({ columns: sensors.map((s) => s.name), values, timestamps: ts.slice() }),
      stops: drivers.stops,
    });
    fleet.faults.push(...faults);
  });
  return fleet;
}

/** Puts the data-quality features in: random missing cells, one missing block, one flatline. */
function degrade(
  fleet: Fleet,
  asset: string,
  sensors: SensorSpec[],
  values: Float64Array,
  ts: Float64Array,
  opts: { flatline: boolean; missingRate: number; faults: InjectedFault[]; trainEnd: number },
  rng: Rng,
): void {
  const { missingRate, trainEnd } = opts;
  const rows = ts.length;
  const faulty = new Set(opts.faults.flatMap((f) => f.sensors));
  let flat = -1;
  if (opts.flatline) {
    flat = sensors.findIndex((s) => s.role === "ambient" && !faulty.has(s.name));
    if (flat < 0) flat = sensors.findIndex((s) => s.role === "temperature" && !faulty.has(s.name));
    if (flat >= 0) {
      const col = values.subarray(flat * rows, (flat + 1) * rows);
      col.fill(col[0]);
      fleet.notes.push({
        asset,
        sensor: sensors[flat].name,
        kind: "flatline",
        message: `stuck transmitter: constant ${col[0]} for the whole series`,
      });
    }
  }
  const miss = rng.fork("missing");
  let count = 0;
  if (missingRate > 0) {
    for (let k = 0; k < values.length; k++) {
      if (miss.next() < missingRate && Math.floor(k / rows) !== flat) {
        values[k] = NaN;
        count++;
      }
    }
    if (count > 0) {
      fleet.notes.push({ asset, kind: "missing_cells", message: "random missing cells", count });
    }
  }
  const trainRows = ts.findIndex((t) => t >= trainEnd);
  const j = miss.int(sensors.length);
  const length = 6 + miss.int(13);
  if (missingRate > 0 && j !== flat && trainRows > length * 2) {
    const at = miss.int(trainRows - length);
    values.fill(NaN, j * rows + at, j * rows + at + length);
    fleet.notes.push({
      asset,
      sensor: sensors[j].name,
      kind: "missing_block",
      message: `${length} consecutive rows missing in training`,
      count: length,
    });
  }
}
