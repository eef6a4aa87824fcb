/** Serialisable results of fitting a pipeline, and the state carried from chunk to chunk. */
import type { PluginState, SensorHealth, StateValue } from "../plugin.ts";

/** Everything fitted on a bootstrap chunk; plain data + typed arrays (crosses Workers, stored on disk). */
export interface FittedModel {
  /** Pipeline signature over the model-relevant config (see core/pipeline/signature.ts). */
  signature: string;
  seed: number;
  /** Raw sensors the model uses (healthy ones), in order. */
  sensors: string[];
  /** Gating verdict for every sensor seen in training. */
  sensorHealth: SensorHealth[];
  /** Per feature node id, its output column names. */
  features: Record<string, string[]>;
  /** Head names (`ar1`, `pca_spe`, ...) in fusion order. */
  heads: string[];
  /** Plugin name and version per node id. */
  plugins: Record<string, { plugin: string; version: string }>;
  /**
   * Training rows, time window (epoch ms), content hash and median sampling step
   * (ms; absent in models saved before it was kept) of the training frame.
   */
  train: { rows: number; start: number; end: number; hash: string; step?: number };
  /** Training metrics per node id (condition number, k, explained variance ...). */
  metrics: Record<string, Record<string, number | string>>;
  /** Per detector node id, its fitted state. */
  detectors: Record<string, PluginState>;
  /** Calibrators, regime model, imputation medians, training ranges: engine-owned state. */
  engine: { [key: string]: StateValue };
}

/** What one asset's stream carries from one chunk to the next (feature warm-up rows, open episode, ...). */
export interface StreamState {
  /** Plain data + typed arrays; opaque outside core/engine. */
  [key: string]: StateValue;
}
