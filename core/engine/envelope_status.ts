/**
 * The operating status of each row beside its alarm: `envelope` (outside the
 * training envelope, core/regimes/assign_regimes.ts), `transient` (a ramp or the
 * settling after a change, transients.ts + core/regimes/ramp.ts), and which rows
 * the episode machine holds. The rule:
 * - transient rows are held (a start, a stop or a load ramp raises no episode);
 * - with `hold_unseen_regime` and `envelope_episode_s` = 0 every envelope row is
 *   held (as before);
 * - with `envelope_episode_s` > 0, only exits whose far regime sensors all lie
 *   below the envelope (a stop, a load below training) are held; other exits are
 *   tested like any row and, when they last, become `envelope` episodes
 *   (core/episodes/envelope.ts).
 * Both flags are reported per row; the exits are reported with their start.
 */
import type { Frame } from "../frame.ts";
import type { DataNote, EnvelopeExit, Episode } from "../plugin.ts";
import type { EpisodeOptions, RegimeOptions } from "../pipeline/stage_schemas.ts";
import type { RegimeModel } from "../regimes/model.ts";
import { type RampCarry, rampMask } from "../regimes/ramp.ts";
import { type EnvelopeState, runEnvelope } from "../episodes/envelope.ts";
import type { EpisodeMachineState } from "../episodes/state_machine.ts";
import { type TransientCarry, transientMask } from "./transients.ts";

/** Per-row regime outputs the status is built from. */
export interface RegimeRows {
  labels: Int32Array;
  unseen: Uint8Array;
  below: Uint8Array;
  farthest: Int32Array;
}

/** Row flags, the hold mask and the carries. */
export interface RowStatus {
  envelope: Uint8Array;
  transient: Uint8Array;
  hold: Uint8Array;
  carry: { transients: TransientCarry; ramps: RampCarry | null };
}

/** Computes envelope, transient and hold per row (see the module comment). */
export function rowStatus(
  model: RegimeModel | null,
  raw: Frame,
  regimes: RegimeRows,
  options: { regimes: RegimeOptions; episodes: EpisodeOptions },
  carry: { transients: TransientCarry | null; ramps: RampCarry | null },
): RowStatus {
  const rows = raw.rows;
  const ramp = model
    ? rampMask(model, raw, options.regimes, carry.ramps)
    : { mask: undefined, carry: null };
  const transients = transientMask(
    regimes.labels,
    raw.timestamps,
    options.regimes.transient_s * 1000,
    carry.transients,
    regimes.unseen,
    ramp.mask,
    options.regimes.settle_s * 1000,
  );
  const transient = transients.mask.slice();
  const hold = transients.mask;
  if (options.episodes.hold_unseen_regime) {
    const onlyBelow = options.episodes.envelope_episode_s > 0;
    for (let i = 0; i < rows; i++) {
      hold[i] |= onlyBelow ? regimes.unseen[i] & regimes.below[i] : regimes.unseen[i];
    }
  }
  return {
    envelope: regimes.unseen,
    transient,
    hold,
    carry: { transients: transients.carry, ramps: ramp.carry },
  };
}

/** Share of a chunk's rows held from episodes at which {@link heldNote} warns. */
export const HELD_NOTE_SHARE = 0.5;

/**
 * A warning when at least HELD_NOTE_SHARE of the chunk's rows are held (no
 * episode can open there), with how many are transients and how many lie
 * outside the envelope (and how many of those below it, `below`: a stop), and
 * what to change when the transients are the cause:
 * on fast, always-moving data the ramp and transient rules can hold every row,
 * and the user must not read the silence as health. Null below the share.
 */
export function heldNote(
  status: RowStatus,
  below: Uint8Array,
  options: RegimeOptions,
): DataNote | null {
  const rows = status.hold.length;
  let held = 0, transient = 0, outside = 0, under = 0;
  for (let i = 0; i < rows; i++) {
    if (!status.hold[i]) continue;
    held++;
    if (status.transient[i]) transient++;
    else if (status.envelope[i]) (outside++, under += below[i]);
  }
  if (rows === 0 || held < HELD_NOTE_SHARE * rows) return null;
  const pct = (k: number) => `${Math.round((100 * k) / rows)} %`;
  const parts = [
    transient > 0 ? `${transient} as start-up/shut-down/load-ramp transients` : "",
    outside > 0
      ? `${outside} outside the training envelope (${under} of them below it: stopped or at a load below training)`
      : "",
  ].filter((x) => x !== "");
  const advice = transient >= outside
    ? ` If the machine does not start, stop or change load that often (fast data that is always moving), raise regimes.ramp_z (now ${options.ramp_z}; 0 = no ramps) or shorten regimes.transient_s (now ${options.transient_s} s) and regimes.settle_s (now ${options.settle_s} s).`
    : under * 2 >= outside
    ? " Expected while the machine is stopped."
    : " The machine runs in an operating state training never saw: retrain on data that covers it.";
  return {
    kind: "held-rows",
    message: `${held} of ${rows} rows (${pct(held)}) are held from episodes: ${
      parts.join(", ")
    }; no episode can open there, so a fault in them goes unreported (scores.csv: columns transient and envelope).${advice}`,
    count: held,
  };
}

/**
 * Adds the envelope stage to a chunk's episode output: exits (always) and
 * `envelope` episodes (when `envelope_episode_s` > 0), their rows alarmed. Ids are
 * taken from (and advance) the fault machine's counter in `faultState`.
 */
export function withEnvelopeEpisodes(
  run: { alarm: Uint8Array; episodes: Episode[]; state: EpisodeMachineState },
  input: {
    timestamps: Float64Array;
    fused: Float64Array;
    regimes: RegimeRows;
    sensors: readonly string[];
  },
  options: EpisodeOptions,
  previous: EnvelopeState | null,
): {
  alarm: Uint8Array;
  episodes: Episode[];
  exits: EnvelopeExit[];
  state: EnvelopeState;
  faultState: EpisodeMachineState;
} {
  const r = input.regimes;
  const env = runEnvelope(
    {
      timestamps: input.timestamps,
      envelope: r.unseen,
      below: r.below,
      farthest: (i) => (r.farthest[i] >= 0 ? input.sensors[r.farthest[i]] : ""),
      fused: input.fused,
    },
    options,
    previous,
    () => run.state.nextId++,
  );
  const alarm = run.alarm;
  for (let i = 0; i < alarm.length; i++) alarm[i] |= env.alarm[i];
  const episodes = [...run.episodes, ...env.episodes].sort((a, b) => a.id - b.id);
  return { alarm, episodes, exits: env.exits, state: env.state, faultState: run.state };
}
