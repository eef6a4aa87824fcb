/**
 * The plugin contract. A plugin is a static, default-exported object of one of
 * five kinds (source, feature, detector, fusion, sink) with its metadata, a JSON
 * Schema (draft 2020-12) for its options, and a `create(options, ctx)` factory.
 * No registration side effects: a Web Worker re-imports a plugin by specifier.
 */
import type { Frame } from "./frame.ts";
import type { Logger } from "./log.ts";
import type { Rng } from "./rng.ts";

/** The version of this contract. Plugins declare the range they were written for in `host_api`. */
export const HOST_API_VERSION = "1.0.0";

/** The five plugin kinds, in data-path order. */
export const PLUGIN_KINDS = ["source", "feature", "detector", "fusion", "sink"] as const;

/** One of the five plugin kinds. */
export type PluginKind = typeof PLUGIN_KINDS[number];

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

/** What every plugin hook receives. */
export interface PluginContext {
  /** Pipeline node id this instance belongs to. */
  readonly nodeId: string;
  /** Run log, scoped to the node. */
  readonly log: Logger;
  /** Seeded generator, derived from the pipeline seed and the node id. */
  readonly rng: Rng;
  /** The pipeline seed the generator came from. */
  readonly seed: number;
  /** Stops with an error; core stamps plugin name, node id and hook on it. */
  fail(message: string, detail?: { path?: string; hint?: string }): never;
}

/** Metadata and factory shared by every plugin kind. */
export interface PluginBase<K extends PluginKind, O, I> {
  readonly kind: K;
  /** Registry name, snake_case (`isolation_forest`). */
  readonly name: string;
  /** The plugin's own semver; stamped on saved state. */
  readonly version: string;
  /** One line saying what it does. */
  readonly summary: string;
  /** Host API range the plugin was written for, e.g. `^1.0.0`. */
  readonly host_api: string;
  /**
   * JSON Schema of the options: `type: "object"`, `additionalProperties: false`,
   * a `description` and `default` on every property, and `examples` (≥ 1).
   */
  readonly options: JsonSchema;
  /** Builds an instance from validated options (defaults filled). */
  create(options: O, ctx: PluginContext): I;
}

/** Fitted state: plain JSON data and Float64Arrays, tagged with the plugin that made it. */
export interface PluginState {
  plugin: string;
  version: string;
  data: StateValue;
}

/** Values allowed in fitted state (JSON plus typed arrays). */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Float64Array
  | Int32Array
  | Uint8Array
  | StateValue[]
  | { [key: string]: StateValue };

// ---------------------------------------------------------------- source

/** A note about the input data (dropped column, duplicate timestamps, ...). */
export interface DataNote {
  kind: string;
  message: string;
  column?: string;
  count?: number;
  line?: number;
}

/** What a source returns for one input file. */
export interface SourceResult {
  frame: Frame;
  notes: DataNote[];
  /** File line of each frame row, when the source knows it (positions in later errors). */
  lines?: Int32Array;
}

/** A source instance reads one chunk of input into a frame. */
export interface Source {
  read(path: string): Promise<SourceResult>;
}

/** A source plugin (e.g. `csv`). */
export type SourcePlugin<O = Record<string, unknown>> = PluginBase<"source", O, Source>;

// ---------------------------------------------------------------- feature

/** How much history a feature needs before its first output row. */
export interface Lookback {
  rows: number;
  ms: number;
}

/**
 * A feature transform maps a frame to a frame with the same rows. Each output
 * column names its raw sensor in `sensors`, so contributions can be traced back.
 * The engine carries the last `lookback` of the previous chunk and prepends it,
 * so a chunk edge does not restart rolling windows.
 */
export interface FeatureTransform {
  readonly lookback: Lookback;
  transform(frame: Frame): Frame;
}

/** A feature plugin (e.g. `rolling`). */
export type FeaturePlugin<O = Record<string, unknown>> = PluginBase<
  "feature",
  O,
  FeatureTransform
>;

// ---------------------------------------------------------------- detector

/** Scores of one detector over one frame. */
export interface DetectorScores {
  /** One array per output (length = rows), higher = more anomalous. */
  outputs: Record<string, Float64Array>;
  /**
   * Optional non-negative per-input-column contributions, column-major
   * (rows × input columns), per output name. Used to name culprit sensors.
   */
  contributions?: Record<string, Float64Array>;
  /** Optional per-sensor expected values and residuals (condition models). */
  traces?: SensorTraces;
  /** Optional per-row fault signature: which sensor and which test won, per output name. */
  signatures?: Record<string, RowSignature>;
}

/**
 * Per-sensor traces a detector exports for actual-vs-expected views: column-major
 * rows × sensors, in the frame's row order. `residual` is in the detector's own
 * robust units (residual / training scale), so sensors compare on one axis.
 */
export interface SensorTraces {
  sensors: string[];
  expected: Float64Array;
  residual: Float64Array;
}

/**
 * Per row, the sensor and the test that won (the culprit and the fault signature),
 * as indices into `sensors` and `tests`; -1 where nothing is named (e.g. missing row).
 * Test names are plain words a report can show: `mean_up`, `mean_down`,
 * `variance_up`, `variance_down` (stuck/flat).
 */
export interface RowSignature {
  sensors: string[];
  tests: string[];
  sensor: Int32Array;
  test: Int32Array;
}

/** Options of `Detector.score`. */
export interface ScoreOptions {
  /** Compute per-column contributions (default true). */
  contributions?: boolean;
  /**
   * Only these rows (ascending indices into the frame): outputs and contributions
   * are returned for them alone (contributions column-major, rows.length × columns),
   * exactly the values a full score of the same frame gives those rows.
   * Asked only of detectors that declare `rowContributions` — the engine uses it to
   * compute contributions just for the rows that can belong to an episode.
   */
  rows?: Int32Array;
  /**
   * 1 on rows the engine holds (start-up / shut-down transients, operating points
   * outside the training envelope): their scores raise no episode, and a detector
   * with sequential statistics restarts them there rather than accumulate evidence
   * where its model of normal does not apply.
   */
  hold?: Uint8Array;
  /**
   * Operating regime per row (−1: none, or outside the training envelope), as the
   * engine's regime model labels them.
   */
  regimes?: Int32Array; /**
   * What the detector learnt incrementally so far (`updateStream`'s last result,
   * null before any), when `model.incremental` is on; absent otherwise.
   */

  learned?: StateValue | null;
}

/** Options of `Detector.fit`. */
export interface FitOptions {
  /**
   * 1 on training rows outside the steady operating states (transients, unseen
   * operating points): limits learnt from training statistics should skip them.
   */
  hold?: Uint8Array;
  /** Operating regime per training row (−1: none), as `ScoreOptions.regimes`. */
  regimes?: Int32Array;
}

/** A fitted (or to-be-fitted) detector head. */
export interface Detector {
  /** Output names. `[""]` → one head named by the node id; else `<id>_<output>`. */
  readonly outputs: readonly string[];
  /**
   * True when `score` honours `ScoreOptions.rows` (a row's result may read other
   * rows of the frame, e.g. AR(1) reads the previous one, but not the rows asked
   * for); the engine then scores without contributions first and asks for
   * contributions of the episode rows only (less time and memory).
   */
  readonly rowContributions?: boolean;
  /**
   * True when every output is already its statistic over the detector's own alarm
   * limit (1 = the limit is reached, as a sequential test's S/h): the engine maps
   * it linearly, z = episodes.on_z × score, instead of the robust-z calibration
   * of its training scores (which would rescale the limit away).
   */
  readonly limitScaled?: boolean;
  fit(frame: Frame, options?: FitOptions): void | Promise<void>;
  /**
   * Scores every row. `options.contributions === false` means the caller will not
   * read contributions (training and calibration scores), so they may be skipped.
   */
  score(frame: Frame, options?: ScoreOptions): DetectorScores;
  /**
   * Optional streaming form of `score` for detectors whose statistics run across
   * chunk edges (CUSUM sums, EWMA levels, sequential tests): scores `frame`
   * continuing from `state` (null at the first chunk after fitting) and returns the
   * state after its last row. The engine saves the state with the stream checkpoint,
   * so a resumed or redelivered chunk continues exactly where the previous one ended.
   * When present the engine calls it instead of `score` for scored chunks; `score`
   * still serves training and calibration (each call starting from a fresh state).
   */
  scoreStream?(
    frame: Frame,
    state: StateValue | null,
    options?: ScoreOptions,
  ): { scores: DetectorScores; state: StateValue };
  /** Optional incremental update with new normal-looking data (saved as a new model version). */
  update?(frame: Frame): void;
  /**
   * Optional incremental learning carried in the stream state rather than in a new
   * model version (`model.incremental`). After a chunk is scored the engine calls it
   * with the frame it just scored (the same object given to `scoreStream` or
   * `score`, once per gap segment, in order), `learn[i] = 1` on the rows judged
   * normal (fused z below `model.update_max_z`, not held, in no episode) and the
   * learned state so far (null right after fitting); it returns the new learned
   * state. The engine saves it with the stream checkpoint, hands it back as
   * `ScoreOptions.learned`, keeps it across long data gaps, and drops it when the
   * model is refitted (the learned state belongs to one fitted model).
   */
  updateStream?(frame: Frame, learn: Uint8Array, learned: StateValue | null): StateValue;
  /** Fitted state as plain data + typed arrays. */
  save(): PluginState;
  /** Restores fitted state; a restored detector scores exactly like the fitted one. */
  load(state: PluginState): void;
  /** Training metrics for the model manifest (condition number, k, ...). */
  metrics?(): Record<string, number | string>;
}

/** A detector plugin (e.g. `pca`). */
export type DetectorPlugin<O = Record<string, unknown>> = PluginBase<"detector", O, Detector>;

// ---------------------------------------------------------------- fusion

/** Fused score and each head's share of it per row (provenance). */
export interface FusionResult {
  fused: Float64Array;
  /** Per head, the amount it added to `fused` on each row. */
  contributions: Record<string, Float64Array>;
}

/** Combines calibrated head z-scores into one fused z per row. */
export interface Fusion {
  fuse(z: Record<string, Float64Array>, rows: number): FusionResult;
}

/** A fusion plugin (e.g. `weighted_mean`). */
export type FusionPlugin<O = Record<string, unknown>> = PluginBase<"fusion", O, Fusion>;

// ---------------------------------------------------------------- results and sinks

/** Severity of an episode, from its peak fused z. */
export type Severity = "info" | "warning" | "critical";

/** A sensor named as a culprit of an episode, with its share of the contributions. */
export interface Culprit {
  sensor: string;
  pct: number;
}

/** A period of sustained anomaly found by the episode state machine. */
export interface Episode {
  /** 1-based, stable per asset across chunks. */
  id: number;
  start: number;
  end: number;
  duration_s: number;
  peak_z: number;
  mean_z: number;
  severity: Severity;
  /** The head that contributed most. */
  detector: string;
  culprits: Culprit[];
  /** Majority regime inside the episode (-1 unknown). */
  regime: number;
  /** True while the episode had not ended at the last row seen. */
  open: boolean;
  /**
   * "envelope": a persistent exit from the training envelope (core/episodes/envelope.ts);
   * absent or "fault": raised by the fused z.
   */
  kind?: "fault" | "envelope";
}

/** One exit of an asset from its training operating envelope, as reported (since-when). */
export interface EnvelopeExit {
  /** First and last row outside (epoch ms). */
  start: number;
  end: number;
  /** True when some far operating sensor lay above the envelope (the process moved); false for a stop or a load below training. */
  shift: boolean;
  /** Id of the `envelope` episode it became, or null. */
  episodeId: number | null;
  /** True while the exit had not ended at the last row seen. */
  open: boolean;
}

/** Per-sensor health verdict from the gating stage. */
export interface SensorHealth {
  sensor: string;
  status: "ok" | "excluded";
  reason?: string;
}

/** Where a scored chunk's rows came from. */
export interface ChunkSource {
  path: string;
  /** Source plugin name (`csv` for the built-in reader) and its options as resolved. */
  plugin: string;
  options: Record<string, unknown>;
}

/** Everything the pipeline says about one scored chunk. */
export interface ScoredChunk {
  asset: string;
  chunk: string;
  modelVersion: number;
  timestamps: Float64Array;
  /** Calibrated z per head (`ar1`, `pca_spe`, ...). */
  heads: Record<string, Float64Array>;
  fused: Float64Array;
  /** Per head, its contribution to `fused` per row. */
  contributions: Record<string, Float64Array>;
  /** 1 inside an episode, else 0. */
  alarm: Uint8Array;
  /** Health index 0–100. */
  health: Float64Array;
  /** Regime label per row; -1 = not assigned. */
  regime: Int32Array;
  /** 1 where the row's operating point lies outside every regime seen in training. */
  regimeUnseen: Uint8Array;
  /**
   * Row status beside the alarm: 1 where the row lies outside the training operating
   * envelope (reported, never a silent hold). Absent in chunks of older pipelines.
   */
  envelope?: Uint8Array;
  /** 1 where the row is in a start/stop or ramp transient (alarms held there). */
  transient?: Uint8Array;
  /** Exits from the training envelope that ended in this chunk or are open at its end (since-when). */
  envelopeExits?: EnvelopeExit[];
  /** Expected values and residuals per sensor, from the head that exports them. */
  traces?: SensorTraces;
  /** The fused z's winning head per row (index into `Object.keys(heads)`, -1 none). */
  topHead?: Int32Array;
  /** Per row, the culprit sensor and test of the winning head, when it names one. */
  signature?: RowSignature;
  /** Episodes that ended in this chunk or are still open at its end. */
  episodes: Episode[];
  sensorHealth: SensorHealth[];
  notes: DataNote[];
  /** The chunk's raw sensor values (healthy model sensors, as read). */
  raw: Frame;
  /**
   * The chunk file the rows were read from, with the source plugin and its options
   * (set by replay; absent elsewhere), so a reader can get the raw values back.
   */
  source?: ChunkSource;
  /** Training range per raw sensor: [p01, median, p99] of the bootstrap data. */
  trainRanges: Record<string, [number, number, number]>;
  /** The alarm and health thresholds the chunk was judged with (for reports). */
  thresholds?: ChunkThresholds;
}

/** Alarm and health thresholds of a pipeline, carried with each chunk for drawing. */
export interface ChunkThresholds {
  on_z: number;
  off_z: number;
  warning_z: number;
  critical_z: number;
  watch_below: number;
  alert_below: number;
}

/** Where a sink writes for one asset. */
export interface SinkTarget {
  asset: string;
  /** `<artifact-root>/<asset>`: the only directory an asset's worker may write. */
  assetDir: string;
  artifactRoot: string;
}

/** A sink instance writes results; re-writing a chunk replaces its rows, never duplicates them. */
export interface Sink {
  open?(target: SinkTarget): Promise<void>;
  write(chunk: ScoredChunk): Promise<void>;
  close?(): Promise<void>;
}

/**
 * A sink plugin (e.g. `csv`, `sqlite`). `scope: "asset"` (default) sinks run inside the
 * asset's Worker and may write only under `SinkTarget.assetDir`; `scope: "fleet"` sinks
 * (one shared store such as `<artifact-root>/acm.sqlite`) run in the main thread and
 * receive every asset's chunks, one at a time.
 */
export type SinkPlugin<O = Record<string, unknown>> = PluginBase<"sink", O, Sink> & {
  readonly scope?: "asset" | "fleet";
};

/** Any plugin. */
export type AnyPlugin =
  | SourcePlugin<never>
  | FeaturePlugin<never>
  | DetectorPlugin<never>
  | FusionPlugin<never>
  | SinkPlugin<never>;

/** Types a source plugin literal. */
export function defineSource<O>(plugin: SourcePlugin<O>): SourcePlugin<O> {
  return plugin;
}
/** Types a feature plugin literal. */
export function defineFeature<O>(plugin: FeaturePlugin<O>): FeaturePlugin<O> {
  return plugin;
}
/** Types a detector plugin literal. */
export function defineDetector<O>(plugin: DetectorPlugin<O>): DetectorPlugin<O> {
  return plugin;
}
/** Types a fusion plugin literal. */
export function defineFusion<O>(plugin: FusionPlugin<O>): FusionPlugin<O> {
  return plugin;
}
/** Types a sink plugin literal. */
export function defineSink<O>(plugin: SinkPlugin<O>): SinkPlugin<O> {
  return plugin;
}
