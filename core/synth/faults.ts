/**
 * Injected faults of the synthetic fleet: which kinds exist, where they are
 * placed (only after the training window), which sensors they touch and how their
 * severity grows over the fault window. The ground truth the demo scores against.
 */
import type { Rng } from "../rng.ts";
import type { SensorRole, SensorSpec } from "./assets.ts";

/** The fault kinds the generator can inject. */
export type FaultKind = "bearing_wear" | "cooling_degradation" | "sensor_bias" | "decoupling";

/** All fault kinds, in the order default fleets cycle through them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "bearing_wear",
  "cooling_degradation",
  "sensor_bias",
  "decoupling",
];

/** One injected fault: the ground truth. Times are epoch ms (naive wall-clock as UTC). */
export interface InjectedFault {
  asset: string;
  kind: FaultKind;
  start: number;
  end: number;
  /** Sensors whose values the fault changes. */
  sensors: string[];
  /** One sentence on what happens physically. */
  description: string;
}

const HOUR = 3_600_000;

const DESCRIPTIONS: Record<FaultKind, string> = {
  bearing_wear: "bearing vibration rises progressively (×2.5 at full severity), bearing warms",
  cooling_degradation: "temperature drifts up relative to load (+14 °C at full load and severity)",
  sensor_bias: "transmitter offset: a step bias on one sensor",
  decoupling: "current rises ~18 % with no matching power (current–power relation broken)",
};

/** Fraction of the window over which severity ramps from 0 to 1 (0 = step). */
const RAMP_FRACTION: Record<FaultKind, number> = {
  bearing_wear: 0.5,
  cooling_degradation: 1,
  sensor_bias: 0,
  decoupling: 0.05,
};

function firstOf(
  sensors: readonly SensorSpec[],
  roles: SensorRole[],
  not: string[] = [],
): string[] {
  for (const role of roles) {
    const hit = sensors.find((s) => s.role === role && !not.includes(s.name));
    if (hit) return [hit.name];
  }
  return [];
}

/** The sensors a fault kind affects on this asset; empty when the asset lacks them. */
export function faultSensors(kind: FaultKind, sensors: readonly SensorSpec[]): string[] {
  switch (kind) {
    case "bearing_wear": {
      const vib = firstOf(sensors, ["vibration"]);
      const temp = sensors.find((s) => s.role === "temperature" && /BEAR|BRG/.test(s.name));
      return vib.length ? [...vib, ...(temp ? [temp.name] : [])] : [];
    }
    case "cooling_degradation": {
      const hot = sensors.find((s) => s.role === "temperature" && /WINDING|OIL/.test(s.name));
      return hot ? [hot.name] : firstOf(sensors, ["temperature"]);
    }
    case "sensor_bias":
      return firstOf(sensors, ["pressure", "flow", "temperature"]);
    case "decoupling": {
      const current = firstOf(sensors, ["current"]);
      const power = firstOf(sensors, ["power"]);
      return current.length && power.length ? [...current, ...power] : [];
    }
  }
}

/** Severity in [0, 1] at time `t` of a fault (0 outside its window). */
export function severity(fault: InjectedFault, t: number): number {
  if (t < fault.start || t >= fault.end) return 0;
  const ramp = RAMP_FRACTION[fault.kind] * (fault.end - fault.start);
  return ramp <= 0 ? 1 : Math.min(1, (t - fault.start) / ramp);
}

/**
 * Places `kinds.length` faults on one asset inside (`trainEnd`, `end`): the scoring
 * period is cut into equal slots, each fault lasts 25–45 % of its slot (at least 6 h)
 * and keeps a 6 h margin to the slot edges. Kinds whose sensors are missing are skipped.
 */
export function planFaults(
  asset: string,
  kinds: readonly FaultKind[],
  sensors: readonly SensorSpec[],
  window: { trainEnd: number; end: number },
  rng: Rng,
): InjectedFault[] {
  const usable = kinds.filter((k) => faultSensors(k, sensors).length > 0);
  if (usable.length === 0) return [];
  const slot = (window.end - window.trainEnd) / usable.length;
  const margin = Math.min(6 * HOUR, slot / 8);
  const out: InjectedFault[] = [];
  usable.forEach((kind, i) => {
    const slotStart = window.trainEnd + i * slot;
    const room = slot - 2 * margin;
    const length = Math.max(Math.min(6 * HOUR, room), room * (0.3 + 0.2 * rng.next()));
    const start = slotStart + margin + (room - length) * rng.next();
    const round = (ms: number) => Math.round(ms / 60_000) * 60_000;
    out.push({
      asset,
      kind,
      start: round(start),
      end: round(start + length),
      sensors: faultSensors(kind, sensors),
      description: DESCRIPTIONS[kind],
    });
  });
  return out;
}
