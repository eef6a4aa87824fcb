/**
 * A sensor as the report names it, from the asset's sensor metadata
 * (core/sensor_metadata): tooltips "name — description (unit)", axis titles
 * "description [unit]", and its low/high limits as labelled dashed lines.
 */
import type { SensorInfo } from "../sensor_metadata/load.ts";
import { type ChartFrame, thresholdLabel, thresholdLine } from "./chart_frame.ts";
import { OKABE_ITO } from "./palette.ts";
import { fmt } from "./svg.ts";

/** Colour of limit lines. */
export const LIMIT_COLOR = OKABE_ITO.purple;

/** "name — description (unit)", leaving out what the metadata does not give. */
export function sensorTitle(name: string, info: SensorInfo | undefined): string {
  const extra = [info?.description, info?.unit ? `(${info.unit})` : ""].filter(Boolean).join(" ");
  return extra ? `${name} — ${extra}` : name;
}

/** Characters after which a sensor name may be cut when its shared prefix is left out. */
const SEPARATORS = new Set([".", "_", " ", "-", ":", "/"]);

/**
 * The longest prefix every one of `names` shares that ends with a separator
 * (`.`, `_`, space, `-`, `:`, `/`) and leaves each name something: "DEMO.SIM."
 * for FD_FAN's "DEMO.SIM.06G31_1FD Fan Damper Position", … ("" for fewer than
 * two names or none shared). Tables leave it out where space is short, so a
 * truncated name shows its distinctive part; tooltips keep the full name.
 */
export function sharedPrefix(names: readonly string[]): string {
  if (names.length < 2) return "";
  let common = names[0];
  for (const n of names) {
    let i = 0;
    while (i < common.length && i < n.length && common[i] === n[i]) i++;
    common = common.slice(0, i);
  }
  const shortest = Math.min(...names.map((n) => n.length));
  let end = Math.min(common.length, shortest - 1);
  while (end > 0 && !SEPARATORS.has(common[end - 1])) end--;
  return common.slice(0, end);
}

/** `name` without `prefix` (when it starts with it). */
export function withoutPrefix(name: string, prefix: string): string {
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Axis title of a sensor's value axis: "description [unit]", or "fallback [unit]" when that
 * is longer than `maxChars` (the axis height in characters), or just `fallback`.
 */
export function axisTitle(info: SensorInfo | undefined, fallback = "value", maxChars = 80): string {
  const unit = info?.unit ? ` [${info.unit}]` : "";
  const full = `${info?.description ?? fallback}${unit}`;
  return full.length <= maxChars ? full : `${fallback}${unit}`;
}

/** How many characters of an 11 px axis title fit along a vertical axis of `px` pixels. */
export function titleChars(px: number): number {
  return Math.floor(px / 6.2);
}

/** The limits that are set, for the value extent of a chart. */
export function limitValues(info: SensorInfo | undefined): number[] {
  return [info?.limits?.low, info?.limits?.high].filter((v): v is number =>
    typeof v === "number" && Number.isFinite(v)
  );
}

function limits(info: SensorInfo | undefined): { v: number; text: string }[] {
  const unit = info?.unit ? ` ${info.unit}` : "";
  const out: { v: number; text: string }[] = [];
  for (const [key, word] of [["low", "low limit"], ["high", "high limit"]] as const) {
    const v = info?.limits?.[key];
    if (typeof v === "number" && Number.isFinite(v)) {
      out.push({ v, text: `${word} ${fmt(v, 4)}${unit}` });
    }
  }
  return out;
}

/** Dashed lines at the sensor's low and high limits (draw before the series). */
export function limitLines(f: ChartFrame, info: SensorInfo | undefined): string {
  return limits(info).map(({ v, text }) =>
    thresholdLine(f, v, text, LIMIT_COLOR).replace('class="threshold"', 'class="threshold limit"')
  ).join("");
}

/** Labels of the limit lines, e.g. "high limit 80 °C" (draw after the series, over them). */
export function limitLabels(f: ChartFrame, info: SensorInfo | undefined): string {
  return limits(info).map(({ v, text }) => thresholdLabel(f, v, text, LIMIT_COLOR)).join("");
}
