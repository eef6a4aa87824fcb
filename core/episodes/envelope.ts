/**
 * Envelope exits and envelope episodes. An exit is a run of rows outside the
 * training envelope (the operating point far from every training regime,
 * core/regimes/assign_regimes.ts); it ends after `off_hold_rows` consecutive rows
 * back inside. Every exit is reported with its start (since-when). An exit is a
 * *shift* when, on at least half of its rows, a far operating sensor lies above
 * its regime — the process moved to a state training never saw; an exit whose far
 * sensors lie below (a stop, or a load lower than any in training) is not, even if
 * lagging sensors sit above for a few rows of the shut-down ramp. A shift that has
 * lasted `envelope_episode_s` becomes an episode of kind `envelope`, starting at
 * the exit's start and alarmed from then on (0 = never). The state is plain data
 * carried across chunks; episode ids come from the fault episodes' counter, so
 * ids stay unique per asset.
 */
import type { EnvelopeExit, Episode } from "../plugin.ts";

export type { EnvelopeExit };
import type { EpisodeOptions } from "../pipeline/stage_schemas.ts";
import { severityOf } from "./accumulator.ts";

/** The exit in progress, carried across chunks. */
export interface EnvelopeState {
  exit: null | {
    start: number;
    end: number;
    shift: boolean;
    episodeId: number | null;
    inside: number;
    /** Rows of the exit, and those with a far sensor above the envelope. */
    rows: number;
    above: number;
    peak: number;
    sum: number;
    n: number;
    sensors: Record<string, number>;
  };
}

/** Per-row inputs of the envelope stage. */
export interface EnvelopeRows {
  timestamps: Float64Array;
  envelope: Uint8Array;
  /** 1 on envelope rows whose far sensors all lie below (not a shift). */
  below: Uint8Array;
  /** Name of the sensor farthest out per row ("" when none). */
  farthest: (i: number) => string;
  fused: Float64Array;
}

/** What one chunk gives: exits that ended in it or are open at its end, episodes, alarm. */
export interface EnvelopeRun {
  exits: EnvelopeExit[];
  episodes: Episode[];
  /** 1 on rows of an envelope episode (from its start inside this chunk). */
  alarm: Uint8Array;
  state: EnvelopeState;
}

type Exit = NonNullable<EnvelopeState["exit"]>;

function toEpisode(x: Exit, open: boolean, options: EpisodeOptions): Episode {
  const total = Object.values(x.sensors).reduce((s, v) => s + v, 0);
  const culprits = Object.entries(x.sensors)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.top_culprits)
    .map(([sensor, v]) => ({ sensor, pct: Math.round((1000 * v) / total) / 10 }));
  const peak = Number.isFinite(x.peak) ? x.peak : 0;
  return {
    id: x.episodeId as number,
    start: x.start,
    end: x.end,
    duration_s: (x.end - x.start) / 1000,
    peak_z: peak,
    mean_z: x.n > 0 ? x.sum / x.n : 0,
    severity: severityOf(peak, options),
    detector: "envelope",
    culprits,
    regime: -1,
    open,
    kind: "envelope",
  };
}

/** Runs the envelope stage over one chunk (see the module comment). */
export function runEnvelope(
  rows: EnvelopeRows,
  options: EpisodeOptions,
  previous: EnvelopeState | null,
  nextId: () => number,
): EnvelopeRun {
  const s: EnvelopeState = structuredClone(previous ?? { exit: null });
  const n = rows.timestamps.length;
  const alarm = new Uint8Array(n);
  const exits: EnvelopeExit[] = [];
  const episodes: Episode[] = [];
  let exitFrom = s.exit ? 0 : -1;
  const report = (x: Exit, open: boolean) => {
    exits.push({ start: x.start, end: x.end, shift: x.shift, episodeId: x.episodeId, open });
    if (x.episodeId !== null) episodes.push(toEpisode(x, open, options));
  };
  for (let i = 0; i < n; i++) {
    const t = rows.timestamps[i];
    if (rows.envelope[i] === 1) {
      if (s.exit === null) {
        s.exit = {
          start: t,
          end: t,
          shift: false,
          episodeId: null,
          inside: 0,
          rows: 0,
          above: 0,
          peak: -Infinity,
          sum: 0,
          n: 0,
          sensors: {},
        };
        exitFrom = i;
      }
      const x = s.exit;
      x.end = t;
      x.inside = 0;
      x.rows++;
      if (rows.below[i] === 0) x.above++;
      x.shift = 2 * x.above >= x.rows;
      const z = rows.fused[i];
      if (Number.isFinite(z)) {
        if (z > x.peak) x.peak = z;
        x.sum += z;
        x.n++;
      }
      const far = rows.farthest(i);
      if (far) x.sensors[far] = (x.sensors[far] ?? 0) + 1;
      const after = options.envelope_episode_s;
      if (x.episodeId === null && x.shift && after > 0 && (t - x.start) / 1000 >= after) {
        x.episodeId = nextId();
        alarm.fill(1, Math.max(0, exitFrom), i);
      }
      if (x.episodeId !== null) alarm[i] = 1;
    } else if (s.exit !== null) {
      if (++s.exit.inside >= options.off_hold_rows) {
        report(s.exit, false);
        s.exit = null;
        exitFrom = -1;
      }
    }
  }
  if (s.exit !== null) report(s.exit, true);
  return { exits, episodes, alarm, state: s };
}
