/**
 * Incremental learning in the stream (`model.incremental`, `Detector.updateStream`):
 * which rows a detector may learn from, and the learned states carried from the
 * previous chunk of the same model version (a refitted model starts from nothing).
 */
import type { StateValue } from "../plugin.ts";
import type { StreamState } from "./types.ts";

/**
 * 1 on rows judged normal: fused z finite and below `maxZ`, not held (transient,
 * outside the training envelope) and in no episode.
 */
export function learnMask(
  fused: Float64Array,
  hold: Uint8Array,
  alarm: Uint8Array,
  maxZ: number,
): Uint8Array {
  const n = fused.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = fused[i] < maxZ && hold[i] !== 1 && alarm[i] !== 1 ? 1 : 0;
  }
  return out;
}

/** The learned detector states saved after the previous chunk, or none when another model version scored it. */
export function learnedCarry(
  stream: StreamState | null,
  modelVersion: number,
): Record<string, StateValue> {
  const saved = stream?.detectors as
    | { modelVersion: number; learned?: Record<string, StateValue> }
    | null
    | undefined;
  if (!saved || saved.modelVersion !== modelVersion || !saved.learned) return {};
  return saved.learned;
}
