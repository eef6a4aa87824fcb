/**
 * Episodes by hysteresis on the fused z (replacing V8's CUSUM builder, §12 item 2):
 * an episode opens when z ≥ on_z for `on_hold_rows` consecutive rows spanning at
 * least `on_hold_s` seconds (its start is the first row of that run) and closes
 * when z < off_z for `off_hold_rows` consecutive rows spanning `off_hold_s` (its
 * end is the last row before that run), so holds can be written in rows or time. Episodes shorter
 * than `min_duration_s` are dropped; one that starts within `merge_gap_s` of the
 * previous one's end continues it (same id). The state is plain data, so an
 * episode open at the end of one chunk continues into the next. A row after a
 * long gap in the data (`breaks[i] = 1`, core/engine/gap_segments.ts) closes the
 * open episode at its last row before the gap and starts afresh: no episode (and
 * no merge) spans the gap.
 *
 * `alarm` is decided as rows are processed: within a chunk it is 1 exactly on the
 * rows of emitted episodes; rows of an earlier chunk are never rewritten (an
 * episode whose held run began in the previous chunk starts there, but that
 * chunk's alarm column stays as written).
 */
import type { Episode } from "../plugin.ts";
import type { EpisodeOptions } from "../pipeline/stage_schemas.ts";
import {
  addRow,
  type EpisodeAccum,
  flushDense,
  mergeAccum,
  newAccum,
  type RowAttribution,
  toEpisode,
} from "./accumulator.ts";

/** State carried between chunks (plain data). */
export interface EpisodeMachineState {
  nextId: number;
  /** Rows of the current run at or above on_z while idle (not yet an episode). */
  pending: EpisodeAccum | null;
  pendingRows: number;
  /** The open episode. */
  active: EpisodeAccum | null;
  /** Rows below off_z after the open episode's last high row (not part of it unless z rises again). */
  tail: EpisodeAccum | null;
  tailRows: number;
  /** Last emitted closed episode, kept while a merge is still possible. */
  lastClosed: EpisodeAccum | null;
}

/** A machine before any row. */
export function initialEpisodeState(): EpisodeMachineState {
  return {
    nextId: 1,
    pending: null,
    pendingRows: 0,
    active: null,
    tail: null,
    tailRows: 0,
    lastClosed: null,
  };
}

/** Result of running the machine over one chunk. */
export interface EpisodeRun {
  alarm: Uint8Array;
  /** Episodes that closed in the chunk, or are open at its end (re-sent when updated). */
  episodes: Episode[];
  state: EpisodeMachineState;
}

/**
 * Runs the machine over a chunk. `attribution(i)` is called only for rows that
 * may belong to an episode, and says which heads, sensors and regime row i adds.
 * Rows with `hold[i] = 1` (unseen operating regime, start-up/shut-down transient)
 * can never open an episode (they also break a run above on_z), and while an
 * episode is open they count as "no longer observed", towards closing it.
 * Rows with `breaks[i] = 1` follow a long gap: the open episode closes at the row
 * before, a pending run is dropped and no merge reaches across.
 */
export function runEpisodes(
  fused: Float64Array,
  timestamps: Float64Array,
  options: EpisodeOptions,
  previous: EpisodeMachineState | null,
  attribution: (i: number) => RowAttribution,
  hold?: Uint8Array,
  breaks?: Uint8Array,
): EpisodeRun {
  const s: EpisodeMachineState = structuredClone(previous ?? initialEpisodeState());
  const n = fused.length;
  const alarm = new Uint8Array(n);
  const emitted = new Map<number, Episode>();
  let pendingFrom = -1; // first row index of the pending run inside this chunk
  // first row index of the low tail inside this chunk (0 when it began in an earlier chunk)
  let tailFrom = s.tail !== null ? 0 : -1;

  const close = (i: number) => {
    const ep = s.active!;
    s.active = null;
    s.tail = null;
    s.tailRows = 0;
    if (tailFrom >= 0) alarm.fill(0, tailFrom, i + 1);
    tailFrom = -1;
    if ((ep.end - ep.start) / 1000 < options.min_duration_s) {
      const from = timestamps.findIndex((ts) => ts >= ep.start);
      alarm.fill(0, from < 0 ? 0 : from, i + 1);
      return;
    }
    emitted.set(ep.id, toEpisode(ep, false, options));
    s.lastClosed = ep;
  };

  for (let i = 0; i < n; i++) {
    if (breaks !== undefined && breaks[i] === 1) {
      if (s.active !== null) close(i - 1); // its low tail before the gap is not alarmed
      s.pending = null;
      s.pendingRows = 0;
      pendingFrom = -1;
      s.lastClosed = null;
    }
    if (hold !== undefined && hold[i] === 1) {
      if (s.active === null) {
        // a held row breaks a run above on_z: an episode never opens across it
        s.pending = null;
        s.pendingRows = 0;
        pendingFrom = -1;
        continue;
      }
      // the open episode is no longer observed: the row counts towards closing it
      alarm[i] = 1;
      const t = timestamps[i];
      if (s.tail === null) {
        s.tail = newAccum(0, t);
        tailFrom = i;
      }
      s.tailRows++;
      if (s.tailRows >= options.off_hold_rows && (t - s.tail.start) / 1000 >= options.off_hold_s) {
        close(i);
      }
      continue;
    }
    const z = fused[i];
    const t = timestamps[i];
    if (s.active === null) {
      if (z >= options.on_z) {
        if (s.pending === null) {
          s.pending = newAccum(0, t);
          s.pendingRows = 0;
        }
        if (pendingFrom < 0) pendingFrom = i;
        addRow(s.pending, t, z, attribution(i));
        s.pendingRows++;
        if (
          s.pendingRows >= options.on_hold_rows &&
          (t - s.pending.start) / 1000 >= options.on_hold_s
        ) {
          const last = s.lastClosed;
          if (last && (s.pending.start - last.end) / 1000 <= options.merge_gap_s) {
            const lastEnd = last.end;
            mergeAccum(last, s.pending);
            s.active = last;
            const gapFrom = timestamps.findIndex((ts) => ts > lastEnd);
            if (gapFrom >= 0 && gapFrom < pendingFrom) alarm.fill(1, gapFrom, pendingFrom);
          } else {
            s.pending.id = s.nextId++;
            s.active = s.pending;
          }
          s.lastClosed = null;
          s.pending = null;
          s.pendingRows = 0;
          s.tail = null;
          s.tailRows = 0;
          alarm.fill(1, pendingFrom, i + 1);
          pendingFrom = -1;
        }
      } else {
        s.pending = null;
        s.pendingRows = 0;
        pendingFrom = -1;
      }
    } else {
      alarm[i] = 1;
      if (z < options.off_z) {
        if (s.tail === null) {
          s.tail = newAccum(0, t);
          tailFrom = i;
        }
        addRow(s.tail, t, z, attribution(i));
        s.tailRows++;
        if (
          s.tailRows >= options.off_hold_rows && (t - s.tail.start) / 1000 >= options.off_hold_s
        ) {
          close(i);
        }
      } else {
        if (s.tail !== null) mergeAccum(s.active, s.tail);
        s.tail = null;
        tailFrom = -1;
        s.tailRows = 0;
        addRow(s.active, t, z, attribution(i));
      }
    }
  }
  for (const acc of [s.pending, s.active, s.tail, s.lastClosed]) flushDense(acc);
  if (s.active !== null) {
    if ((s.active.end - s.active.start) / 1000 >= options.min_duration_s) {
      emitted.set(s.active.id, toEpisode(s.active, true, options));
    }
  }
  if (
    s.lastClosed && n > 0 && (timestamps[n - 1] - s.lastClosed.end) / 1000 > options.merge_gap_s
  ) {
    s.lastClosed = null;
  }
  return { alarm, episodes: [...emitted.values()].sort((a, b) => a.id - b.id), state: s };
}
