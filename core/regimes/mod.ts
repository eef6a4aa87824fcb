/** Operating regimes: fit, assign, smooth. */
export { fitRegimes, regimeShare } from "./operating_sensors.ts";
export { assignRegimes } from "./assign_regimes.ts";
export { type DwellOptions, type RegimeCarry, smoothLabels } from "./smooth.ts";
export type { RegimeModel } from "./model.ts";
