/**
 * Stage thresholds that only make sense in one order: an episode must close
 * below where it opens (`off_z ≤ on_z`), a warning must not need a higher peak
 * than critical (`warning_z ≤ critical_z`), and the ALERT zone lies below the
 * WATCH zone (`alert_below ≤ watch_below`). Keys left out take their stage
 * default (core/pipeline/stage_schemas.ts), so `on_z: 1` alone is caught too.
 */
import type { Diagnostic } from "../errors.ts";
import type { JsonSchema } from "../plugin.ts";
import { STAGE_SCHEMAS } from "./stage_schemas.ts";
import type { PositionMap } from "./yaml_source.ts";

/** `[section, low key, high key, what the order means]`: low must be ≤ high. */
export const STAGE_ORDERS: readonly (readonly [string, string, string, string])[] = [
  ["episodes", "off_z", "on_z", "an episode must close at or below the z where it opens"],
  ["episodes", "warning_z", "critical_z", "a critical episode is at least as bad as a warning"],
  ["health", "alert_below", "watch_below", "the ALERT zone lies below the WATCH zone"],
];

function stageDefault(section: string, key: string): unknown {
  const props = (STAGE_SCHEMAS[section] as { properties?: Record<string, JsonSchema> })
    .properties;
  return (props?.[key] as { default?: unknown } | undefined)?.default;
}

/** One `bad-value` error per threshold pair out of order, at the key written in the file. */
export function checkStageOrder(
  doc: Record<string, unknown>,
  positions: PositionMap,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [section, lowKey, highKey, why] of STAGE_ORDERS) {
    const given = doc[section];
    const stage = given !== null && typeof given === "object" && !Array.isArray(given)
      ? given as Record<string, unknown>
      : {};
    const low = stage[lowKey] ?? stageDefault(section, lowKey);
    const high = stage[highKey] ?? stageDefault(section, highKey);
    if (typeof low !== "number" || typeof high !== "number" || low <= high) continue;
    // Point at the key the user wrote: the low one if present, else the high one.
    // (Defaults may already be filled in, so "written" means present in the file.)
    const written = (k: string) => positions.has(`/${section}/${k}`);
    const key = written(lowKey) || !written(highKey) ? lowKey : highKey;
    const pointer = `/${section}/${key}`;
    const source = (k: string) => (written(k) ? "" : " (default)");
    out.push({
      ...positions.keyAt(pointer),
      pointer,
      code: "threshold-order",
      severity: "error",
      message: `${section}.${lowKey} = ${low}${
        source(lowKey)
      } is above ${section}.${highKey} = ${high}${source(highKey)}: ${why}`,
      hint: `make ${section}.${lowKey} ≤ ${section}.${highKey}`,
    });
  }
  return out;
}
