/**
 * acm — asset condition monitoring for Deno.
 *
 * The public API: the plugin contract and its `define*` helpers (write a detector
 * in one file against this module), the Frame helpers, and the entry points that
 * load a pipeline, fit it, score chunks and replay chunk folders.
 *
 * @module
 */
export {
  type AnyPlugin,
  type Culprit,
  type DataNote,
  defineDetector,
  defineFeature,
  defineFusion,
  defineSink,
  defineSource,
  type Detector,
  type DetectorPlugin,
  type DetectorScores,
  type Episode,
  type FeaturePlugin,
  type FeatureTransform,
  type Fusion,
  type FusionPlugin,
  type FusionResult,
  HOST_API_VERSION,
  type JsonSchema,
  type Lookback,
  PLUGIN_KINDS,
  type PluginContext,
  type PluginKind,
  type PluginState,
  type ScoredChunk,
  type ScoreOptions,
  type SensorHealth,
  type Severity,
  type Sink,
  type SinkPlugin,
  type SinkTarget,
  type Source,
  type SourcePlugin,
  type SourceResult,
  type StateValue,
} from "./core/plugin.ts";
export {
  column,
  columnIndex,
  concatColumns,
  concatRows,
  emptyFrame,
  formatTimestamp,
  type Frame,
  frameTransferables,
  makeFrame,
  selectByName,
  selectColumns,
  selectRows,
  sliceRows,
} from "./core/frame.ts";
export { createRng, type Rng } from "./core/rng.ts";
export { createLogger, type Logger, memoryLogger, silentLogger } from "./core/log.ts";
export {
  DataError,
  type Diagnostic,
  formatDiagnostic,
  PipelineError,
  PluginError,
} from "./core/errors.ts";
export { finite, mad, mean, median, quantile, std, variance } from "./core/numeric/stats.ts";
export { loadPipeline, resolveDocument, validatePipelineFile } from "./core/pipeline/load.ts";
export type { Pipeline, ResolvedNode } from "./core/pipeline/types.ts";
export { fitModel } from "./core/engine/fit.ts";
export { type ChunkMeta, createScorer, type Scorer } from "./core/engine/score.ts";
export type { FittedModel, StreamState } from "./core/engine/types.ts";
export { replay, type ReplayOptions } from "./core/replay/replay.ts";
export { readCsvFile, readCsvText } from "./core/source/csv_reader.ts";
