/**
 * Colours of the report: the Okabe–Ito palette (Okabe & Ito, "Color Universal
 * Design", 2008), distinguishable with the common colour-vision deficiencies.
 */

/** Okabe–Ito colours by name. */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
} as const;

/** Series colours in drawing order (heads, regimes). */
export const SERIES = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
  OKABE_ITO.black,
];

/** Colour of an episode severity. */
export const SEVERITY_COLOR: Record<string, string> = {
  info: OKABE_ITO.skyBlue,
  warning: OKABE_ITO.orange,
  critical: OKABE_ITO.vermillion,
};

/** Colour of a status / health zone. */
export const STATUS_COLOR: Record<string, string> = {
  FAILED: OKABE_ITO.black,
  GOOD: OKABE_ITO.green,
  WATCH: OKABE_ITO.orange,
  ALERT: OKABE_ITO.vermillion,
  "NO DATA": "#888888",
};

/** Colour of regime `k` (-1 = unassigned, grey). */
export function regimeColor(k: number): string {
  return k < 0 ? "#BBBBBB" : SERIES[k % SERIES.length];
}
