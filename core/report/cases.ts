/**
 * Cases: related episodes grouped as one condition. Two episodes are related
 * when they have the same top culprit and the later one starts within 7 days
 * of the end of the earlier one, or when their culprit sets share a sensor and
 * the gap is at most 72 h; a case is a connected group of related episodes
 * (so a chain of weekly recurrences of one bearing fault is one case). Gaps run
 * from the earlier episode's end (its start while open) to the later one's start.
 */
import type { EpisodeRecord } from "../io/records.ts";
import { parseIso } from "./read_outputs.ts";

/** The grouping rule's windows. */
export interface CaseRule {
  /** Same top culprit: related within this many hours. */
  sameTopHours: number;
  /** Any culprit in common: related within this many hours. */
  sharedCulpritHours: number;
}

/** The documented default: 7 days for the same top culprit, 72 h for a shared culprit. */
export const CASE_RULE: CaseRule = { sameTopHours: 7 * 24, sharedCulpritHours: 72 };

/** The rule in words, for the report and the README. */
export const CASE_RULE_TEXT =
  "episodes with the same top culprit less than 7 days apart, or sharing any culprit sensor less than 72 h apart, are one case (and so are chains of them)";

const H = 3_600_000;

/** Case number per episode id (1-based, numbered by each case's first start). */
export function episodeCases(
  episodes: readonly EpisodeRecord[],
  rule: CaseRule = CASE_RULE,
): Map<number, number> {
  const list = [...episodes].sort((a, b) =>
    parseIso(a.start) - parseIso(b.start) || a.episode_id - b.episode_id
  );
  const start = list.map((e) => parseIso(e.start));
  const end = list.map((e, i) => Math.max(start[i], parseIso(e.end || e.start) || start[i]));
  const top = list.map((e) => e.culprits[0]?.sensor);
  const sets = list.map((e) => new Set(e.culprits.map((c) => c.sensor)));
  const parent = list.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const widest = Math.max(rule.sameTopHours, rule.sharedCulpritHours) * H;
  for (let j = 1; j < list.length; j++) {
    const culprits = [...sets[j]];
    for (let i = 0; i < j; i++) {
      const gap = start[j] - end[i];
      if (gap > widest) continue;
      const sameTop = top[j] !== undefined && top[i] === top[j] && gap <= rule.sameTopHours * H;
      const shared = gap <= rule.sharedCulpritHours * H && culprits.some((s) => sets[i].has(s));
      if (sameTop || shared) parent[find(j)] = find(i);
    }
  }
  const numbers = new Map<number, number>();
  const out = new Map<number, number>();
  for (let i = 0; i < list.length; i++) {
    const root = find(i);
    if (!numbers.has(root)) numbers.set(root, numbers.size + 1);
    out.set(list[i].episode_id, numbers.get(root)!);
  }
  return out;
}
