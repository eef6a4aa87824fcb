/**
 * When does a chunk (re)train the model instead of only being scored?
 *
 * Only on a deliberate, stated trigger, checked in this order (the first that holds is the
 * reason):
 *  1. no model yet (first chunk of an asset, or after `--clear-cache`, which
 *     deletes the asset's `models/` and `state/` first);
 *  2. pipeline signature changed (model-relevant config edited: detectors,
 *     features, calibration, regimes ... see core/pipeline/signature.ts);
 *  3. `model.retrain_on_new_sensors` is on and the chunk has sensor columns the
 *     model never saw (an instrumentation change the user declared);
 *  4. refit policy `model.refit_every_chunks` N > 0: N chunks have been scored
 *     since the last fit (the fit chunk counts), so a fit happens every N chunks;
 *  5. refit policy `model.max_age_days` D > 0: the chunk starts more than D days
 *     (chunk time, not wall-clock) after the end of the model's training window.
 * A sensor that is missing, all-NaN or dropped by the reader never retrains: a broken
 * sensor's chunk would otherwise become the training set (and a fault in it would be
 * learned as normal), and the next good chunk would retrain again. Such a chunk is scored
 * on the sensors present; `sensorCoverage()` names the unmonitored ones for a note, and
 * past `model.max_missing_sensor_fraction` the chunk is flagged as degraded (a warning).
 * A chunk that triggers a retrain becomes a bootstrap chunk: the model is
 * fitted on it, saved as a new version, and the same chunk is then scored with
 * it. The stream state carried from the previous chunk is kept (episode ids
 * continue). Incremental updates (`model.incremental`) save new versions but are
 * not fits: they do not reset 4 or 5.
 */
import type { ModelOptions } from "../pipeline/stage_schemas.ts";

/** The current model, as far as the policy needs to know it. */
export interface ModelFacts {
  version: number;
  signature: string;
  /** Healthy sensors the model uses. */
  sensors: readonly string[];
  /** Every sensor seen in training (healthy or excluded). */
  trainedColumns: readonly string[];
  /** End of the training window, epoch ms. */
  trainEnd: number;
}

/** What is known about the chunk about to run. */
export interface ChunkFacts {
  /** Sensor columns of the chunk (from the frame, or the CSV header in a dry run). */
  columns: readonly string[];
  /** Columns present but with no finite value; unknown in a dry run. */
  allNaN?: readonly string[];
  /** First timestamp, epoch ms; unknown in a dry run. */
  start?: number;
}

/** The decision for one chunk. */
export interface RefitDecision {
  retrain: boolean;
  /** Human-readable reason (null when scoring with the current model). */
  reason: string | null;
}

/** Decides whether the chunk retrains (see the module comment for the rules and their order). */
export function decideRefit(input: {
  model: ModelFacts | null;
  signature: string;
  chunk: ChunkFacts;
  chunksSinceFit: number;
  options: ModelOptions;
}): RefitDecision {
  const { model, chunk, options } = input;
  if (!model) return { retrain: true, reason: "no model yet" };
  if (model.signature !== input.signature) {
    return {
      retrain: true,
      reason: `pipeline signature changed (${short(model.signature)} → ${short(input.signature)})`,
    };
  }
  if (options.retrain_on_new_sensors) {
    const added = sensorCoverage(model, chunk).unmodelled;
    if (added.length > 0) {
      return {
        retrain: true,
        reason: `new sensors ${list(added)} (retrain_on_new_sensors)`,
      };
    }
  }
  if (options.refit_every_chunks > 0 && input.chunksSinceFit >= options.refit_every_chunks) {
    return {
      retrain: true,
      reason:
        `refit policy: ${input.chunksSinceFit} chunk(s) scored since v${model.version}'s fit ` +
        `(refit_every_chunks ${options.refit_every_chunks})`,
    };
  }
  if (options.max_age_days > 0 && chunk.start !== undefined && Number.isFinite(model.trainEnd)) {
    const ageDays = (chunk.start - model.trainEnd) / 86_400_000;
    if (ageDays > options.max_age_days) {
      return {
        retrain: true,
        reason: `refit policy: model is ${ageDays.toFixed(1)} days old in chunk time ` +
          `(max_age_days ${options.max_age_days})`,
      };
    }
  }
  return { retrain: false, reason: null };
}

/** Which sensors of the model a chunk covers. */
export interface SensorCoverage {
  /** Model sensors absent from the chunk or without a finite value: scored as unmonitored. */
  unmonitored: string[];
  /** Chunk columns the model never saw in training: not scored. */
  unmodelled: string[];
  /** More than `max_missing_sensor_fraction` of the model's sensors are unmonitored. */
  degraded: boolean;
}

/** The model sensors a chunk lacks (missing or all-NaN) and the columns the model never saw. */
export function sensorCoverage(
  model: ModelFacts,
  chunk: ChunkFacts,
  maxMissingFraction = 1,
): SensorCoverage {
  const cols = new Set(chunk.columns);
  const dead = new Set(chunk.allNaN ?? []);
  const trained = new Set(model.trainedColumns);
  const unmonitored = model.sensors.filter((s) => !cols.has(s) || dead.has(s));
  const n = model.sensors.length;
  return {
    unmonitored,
    unmodelled: chunk.columns.filter((c) => !trained.has(c)),
    degraded: n > 0 && unmonitored.length / n > maxMissingFraction,
  };
}

/** Quoted names, at most four then "and N more". */
export function list(names: readonly string[]): string {
  const shown = names.slice(0, 4).map((n) => `"${n}"`).join(", ");
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}

function short(signature: string): string {
  return signature.slice(0, 12);
}
