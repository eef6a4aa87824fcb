/**
 * A chunk sampled at another step than the training data. Much of a model
 * counts rows, not seconds: a sequential test adds one increment per row
 * against limits set on training rows, a whitening filter's lags are rows, and
 * episodes open after `on_hold_rows` rows. Scored at three times the training
 * rate, the same evidence per hour crosses a limit three times as fast, a
 * 10-row hold lasts a third as long, and alarms come sooner and more often
 * (COND_PUMP: a 30-minute training set, a 10-minute fault set). The engine does
 * not resample on its own (that would change the user's data); it says so, in
 * every chunk where it happens.
 */
import type { DataNote } from "../plugin.ts";
import type { EpisodeOptions } from "../pipeline/stage_schemas.ts";
import { medianStep } from "../numeric/median_step.ts";

/** Steps within this factor of the training step count as the same cadence. */
export const CADENCE_TOLERANCE = 1.5;

/**
 * A `cadence` note when the median step of `timestamps` differs from the
 * training step by more than CADENCE_TOLERANCE either way; null when it does
 * not, when either step is unknown (fewer than two rows, a model saved before
 * the training step was kept).
 */
export function cadenceNote(
  trainStepMs: number | undefined,
  timestamps: Float64Array,
  episodes: Pick<EpisodeOptions, "on_hold_rows">,
): DataNote | null {
  const step = medianStep(timestamps);
  if (!(trainStepMs! > 0) || !(step > 0)) return null;
  const ratio = trainStepMs! / step;
  if (ratio <= CADENCE_TOLERANCE && ratio >= 1 / CADENCE_TOLERANCE) return null;
  const rate = ratio > 1 ? `${times(ratio)} as often` : `${times(1 / ratio)} as seldom`;
  const hold = episodes.on_hold_rows;
  return {
    kind: "cadence",
    message: `rows come every ${stepText(step)} here, every ${stepText(trainStepMs!)} in the ` +
      `training data (${rate}): row-counted settings hold for the training step only (the ` +
      `detectors' per-row sequential tests and lags; episodes.on_hold_rows ${hold} = ` +
      `${stepText(hold * trainStepMs!)} in training, ${stepText(hold * step)} here), so alarms ` +
      `come ${ratio > 1 ? "sooner and more often" : "later and more seldom"} than the training ` +
      `data implies. Resample the data to the training step, or retrain on data at this step ` +
      `(--clear-cache, or model.refit_every_chunks).`,
    count: timestamps.length,
  };
}

/** "3×", "2.5×". */
function times(x: number): string {
  return `${Number(x.toFixed(1))}×`;
}

/** A step for people: "10 s", "30 min", "1 h", "1.5 h". */
export function stepText(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(1))} s`;
  if (s < 3600) return `${Number((s / 60).toFixed(1))} min`;
  return `${Number((s / 3600).toFixed(1))} h`;
}
