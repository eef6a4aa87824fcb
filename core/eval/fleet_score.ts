/**
 * Event-level scoring of episodes against labelled faults (`acm eval fleet`).
 *
 * Matching rule: a fault is found when an episode of the same asset overlaps the
 * fault's window extended by a grace period after its end, [start, end + grace)
 * (episode.start < end + grace and episode.end ≥ start). Its detection delay is
 * max(0, first overlapping episode's start − fault start). Episodes that overlap
 * no extended fault window are false episodes. Only the scored period counts
 * (the weekly chunks, after the training chunk): episodes ending before it and
 * alarm rows outside it are ignored. Asset keys are free-form, so several seeds
 * pool by keying assets `<seed>/<asset>`.
 *
 * Reported: recall (found / faults), false episodes per 30 asset-days of scored
 * time, the median delay (all found faults, and slow drifts alone), the share of
 * scored rows outside every extended fault window that are in alarm (so long
 * episodes cannot buy recall), and a by-kind table. When the operating changes
 * are given (stop starts and ends, load set-point changes), false episodes that
 * start within [change − 15 min, change + 1 h) are also counted as "at an operating change".
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A labelled fault as the scorer needs it. */
export interface TruthFault {
  asset: string;
  kind: string;
  start: number;
  end: number;
}

/** An episode as the scorer needs it. */
export interface ScoredEpisode {
  asset: string;
  id: number;
  start: number;
  end: number;
  /** Episode kind when the output names one (e.g. "fault", "envelope"); "" otherwise. */
  kind: string;
}

/** One asset's scored period and per-row alarm (same length as `timestamps`). */
export interface AssetAlarms {
  asset: string;
  /** Scored period [from, to) epoch ms. */
  from: number;
  to: number;
  timestamps: Float64Array;
  alarm: Uint8Array;
}

/** The verdict on one fault. */
export interface FaultVerdict {
  fault: TruthFault;
  found: boolean;
  /** ms from fault start to the first overlapping episode's start (≥ 0); null when missed. */
  delayMs: number | null;
  episodeIds: number[];
}

/** One row of the by-kind table. */
export interface KindRow {
  kind: string;
  faults: number;
  found: number;
  recall: number;
  medianDelayMs: number | null;
}

/** The whole score. */
export interface FleetScore {
  faults: number;
  found: number;
  recall: number;
  episodes: number;
  falseEpisodes: number;
  /** Scored time summed over assets, in days. */
  assetDays: number;
  falsePer30AssetDays: number;
  /** False episodes overlapping an operating change (when changes are given). */
  falseAtChanges: number;
  medianDelayMs: number | null;
  /** Median delay of the found faults of kind "drift" (null when none). */
  driftMedianDelayMs: number | null;
  /** % of scored rows outside every extended fault window that are in alarm. */
  alarmOutsidePct: number;
  byKind: KindRow[];
  verdicts: FaultVerdict[];
  falseList: ScoredEpisode[];
}

/** Median of `xs` (mean of the two middle values); null when empty. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Scores `episodes` and per-row `alarms` against `faults` (see the module comment). */
export function scoreFleet(
  faults: readonly TruthFault[],
  episodes: readonly ScoredEpisode[],
  alarms: readonly AssetAlarms[],
  opts: { graceMs: number; changes?: ReadonlyArray<{ asset: string; t: number }> },
): FleetScore {
  const grace = opts.graceMs;
  const period = new Map(alarms.map((a) => [a.asset, [a.from, a.to] as const]));
  const scored = episodes.filter((e) => {
    const p = period.get(e.asset);
    return p === undefined || (e.end >= p[0] && e.start < p[1]);
  });
  const used = new Set<ScoredEpisode>();
  const verdicts = faults.map((fault): FaultVerdict => {
    const hits = scored
      .filter((e) => e.asset === fault.asset && e.start < fault.end + grace && e.end >= fault.start)
      .sort((a, b) => a.start - b.start);
    hits.forEach((e) => used.add(e));
    return {
      fault,
      found: hits.length > 0,
      delayMs: hits.length > 0 ? Math.max(0, hits[0].start - fault.start) : null,
      episodeIds: hits.map((e) => e.id),
    };
  });
  const falseList = scored.filter((e) => !used.has(e));
  const changes = opts.changes ?? [];
  const atChange = falseList.filter((e) =>
    changes.some((c) => c.asset === e.asset && e.start >= c.t - HOUR / 4 && e.start < c.t + HOUR)
  );
  let days = 0, outside = 0, outsideAlarm = 0;
  for (const a of alarms) {
    days += (a.to - a.from) / DAY;
    const windows = faults.filter((f) => f.asset === a.asset);
    for (let i = 0; i < a.timestamps.length; i++) {
      const t = a.timestamps[i];
      if (t < a.from || t >= a.to || windows.some((f) => t >= f.start && t < f.end + grace)) {
        continue;
      }
      outside++;
      if (a.alarm[i] === 1) outsideAlarm++;
    }
  }
  const found = verdicts.filter((v) => v.found);
  const delays = (vs: FaultVerdict[]) => vs.map((v) => v.delayMs as number);
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const byKind = kinds.map((kind): KindRow => {
    const mine = verdicts.filter((v) => v.fault.kind === kind);
    const hit = mine.filter((v) => v.found);
    return {
      kind,
      faults: mine.length,
      found: hit.length,
      recall: mine.length > 0 ? hit.length / mine.length : 0,
      medianDelayMs: median(delays(hit)),
    };
  });
  return {
    faults: faults.length,
    found: found.length,
    recall: faults.length > 0 ? found.length / faults.length : 0,
    episodes: scored.length,
    falseEpisodes: falseList.length,
    assetDays: days,
    falsePer30AssetDays: days > 0 ? (falseList.length * 30) / days : 0,
    falseAtChanges: atChange.length,
    medianDelayMs: median(delays(found)),
    driftMedianDelayMs: median(delays(found.filter((v) => v.fault.kind === "drift"))),
    alarmOutsidePct: outside > 0 ? (100 * outsideAlarm) / outside : 0,
    byKind,
    verdicts,
    falseList,
  };
}
