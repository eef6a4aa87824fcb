/**
 * Text and JSON forms of an `acm eval fleet` result (fleet_run.ts): the headline
 * figures beside the issue-11 targets, a per-seed line, the by-kind table and the
 * missed faults.
 */
import { formatTimestamp } from "../frame.ts";
import type { FleetScore } from "./fleet_score.ts";
import type { FleetEvalResult } from "./fleet_run.ts";

/** Targets of issue 11 on held-out seeds. */
export const TARGETS = { recall: 0.95, falsePer30: 1, medianDelayH: 2, alarmOutsidePct: 3 };

const hours = (ms: number | null) => (ms === null ? "-" : `${(ms / 3_600_000).toFixed(2)} h`);

/** One line of headline figures. */
export function headline(s: FleetScore): string {
  return `recall ${s.recall.toFixed(3)} (${s.found}/${s.faults}), false episodes ${
    s.falsePer30AssetDays.toFixed(2)
  } per 30 asset-days (${s.falseEpisodes} in ${
    s.assetDays.toFixed(0)
  } asset-days, ${s.falseAtChanges} at a start/stop/load change), median delay ${
    hours(s.medianDelayMs)
  } (drift ${hours(s.driftMedianDelayMs)}), alarm outside faults ${s.alarmOutsidePct.toFixed(2)} %`;
}

/** The whole result as text. */
export function formatFleetResult(r: FleetEvalResult, pipeline: string): string {
  const p = r.pooled;
  const lines = [
    `acm eval fleet — pipeline ${pipeline}, seeds ${r.seeds.join(",")}, grace ${
      hours(r.graceMs)
    } after a fault's end`,
    "",
    ...r.perSeed.map((s) => `seed ${String(s.seed).padEnd(5)} ${headline(s.score)}`),
    "",
    `pooled     ${headline(p)}`,
    `target     recall ≥ ${TARGETS.recall}, ≤ ${TARGETS.falsePer30} false episode per 30 asset-days, median delay ≤ ${TARGETS.medianDelayH} h, ≤ ${TARGETS.alarmOutsidePct} % alarm outside faults`,
    "",
    "kind     faults  found  recall  median delay",
    ...p.byKind.map((k) =>
      `${k.kind.padEnd(8)} ${String(k.faults).padStart(6)} ${String(k.found).padStart(6)} ${
        k.recall.toFixed(2).padStart(7)
      }  ${hours(k.medianDelayMs).padStart(12)}`
    ),
  ];
  const missed = p.verdicts.filter((v) => !v.found);
  if (missed.length > 0) {
    lines.push("", "missed:");
    for (const v of missed) {
      lines.push(
        `  ${v.fault.asset.padEnd(18)} ${v.fault.kind.padEnd(6)} ${
          formatTimestamp(v.fault.start)
        } → ${formatTimestamp(v.fault.end)}`,
      );
    }
  }
  return lines.join("\n");
}

/** JSON-ready form (times ISO, delays in hours). */
export function fleetResultJson(r: FleetEvalResult, pipeline: string): Record<string, unknown> {
  const score = (s: FleetScore) => ({
    faults: s.faults,
    found: s.found,
    recall: s.recall,
    episodes: s.episodes,
    false_episodes: s.falseEpisodes,
    asset_days: s.assetDays,
    false_per_30_asset_days: s.falsePer30AssetDays,
    false_at_operating_changes: s.falseAtChanges,
    median_delay_h: s.medianDelayMs === null ? null : s.medianDelayMs / 3_600_000,
    drift_median_delay_h: s.driftMedianDelayMs === null ? null : s.driftMedianDelayMs / 3_600_000,
    alarm_outside_pct: s.alarmOutsidePct,
    by_kind: s.byKind.map((k) => ({
      kind: k.kind,
      faults: k.faults,
      found: k.found,
      recall: k.recall,
      median_delay_h: k.medianDelayMs === null ? null : k.medianDelayMs / 3_600_000,
    })),
    faults_detail: s.verdicts.map((v) => ({
      asset: v.fault.asset,
      kind: v.fault.kind,
      start: formatTimestamp(v.fault.start),
      end: formatTimestamp(v.fault.end),
      found: v.found,
      delay_h: v.delayMs === null ? null : v.delayMs / 3_600_000,
    })),
    false_episodes_detail: s.falseList.map((e) => ({
      asset: e.asset,
      id: e.id,
      kind: e.kind,
      start: formatTimestamp(e.start),
      end: formatTimestamp(e.end),
    })),
  });
  return {
    pipeline,
    seeds: r.seeds,
    grace_h: r.graceMs / 3_600_000,
    targets: TARGETS,
    pooled: score(r.pooled),
    per_seed: r.perSeed.map((s) => ({ seed: s.seed, seconds: s.seconds, ...score(s.score) })),
  };
}
