/**
 * The thresholds a report draws: the episode on/off levels, severity levels and
 * the health zones. Taken from the scored chunk when the engine attaches them,
 * else the stage defaults of core/pipeline/stage_schemas.ts.
 */
import type { ScoredChunk } from "../plugin.ts";
import { STAGE_SCHEMAS } from "../pipeline/stage_schemas.ts";

/** Episode and health-zone thresholds of the pipeline that scored an asset. */
export interface ReportThresholds {
  on_z: number;
  off_z: number;
  warning_z: number;
  critical_z: number;
  watch_below: number;
  alert_below: number;
}

function stageDefault(section: string, key: string): number {
  const props = (STAGE_SCHEMAS[section] as { properties: Record<string, { default: number }> })
    .properties;
  return props[key].default;
}

/** The stage defaults (used when a chunk carries no thresholds). */
export const DEFAULT_THRESHOLDS: ReportThresholds = {
  on_z: stageDefault("episodes", "on_z"),
  off_z: stageDefault("episodes", "off_z"),
  warning_z: stageDefault("episodes", "warning_z"),
  critical_z: stageDefault("episodes", "critical_z"),
  watch_below: stageDefault("health", "watch_below"),
  alert_below: stageDefault("health", "alert_below"),
};

/** Thresholds carried by a chunk (optional `thresholds` field), completed with the defaults. */
export function chunkThresholds(chunk: ScoredChunk): ReportThresholds {
  const given = (chunk as ScoredChunk & { thresholds?: Partial<ReportThresholds> }).thresholds;
  return completeThresholds(given);
}

/** Fills missing or non-finite thresholds with the defaults. */
export function completeThresholds(given: Partial<ReportThresholds> | undefined): ReportThresholds {
  const out = { ...DEFAULT_THRESHOLDS };
  if (given) {
    for (const k of Object.keys(out) as (keyof ReportThresholds)[]) {
      const v = given[k];
      if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
    }
  }
  return out;
}
