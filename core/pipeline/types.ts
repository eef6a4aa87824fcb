/** Types of a loaded, validated pipeline: every node with its resolved plugin and filled options. */
import type {
  DetectorPlugin,
  FeaturePlugin,
  FusionPlugin,
  SinkPlugin,
  SourcePlugin,
} from "../plugin.ts";
import type { Position } from "../errors.ts";
import type {
  CalibrationOptions,
  EpisodeOptions,
  HealthOptions,
  ModelOptions,
  RegimeOptions,
  SensorHealthOptions,
} from "./stage_schemas.ts";

/** A pipeline node after validation: its plugin object, module specifier and options with defaults. */
export interface ResolvedNode<P> {
  id: string;
  /** Plugin name as written in the pipeline (`pca`, or a `plugins` map id). */
  pluginName: string;
  plugin: P;
  /** Module specifier a Worker re-imports the plugin from (absolute file URL or `npm:`). */
  specifier: string;
  inputs: string[];
  /** Options as written plus defaults, validated by the plugin's schema. */
  options: Record<string, unknown>;
  /** Where the node stands in the pipeline file. */
  position: Position;
}

/** The fixed (non-plugin) stage sections, with defaults filled. */
export interface StageOptions {
  sensor_health: SensorHealthOptions;
  calibration: CalibrationOptions;
  regimes: RegimeOptions;
  episodes: EpisodeOptions;
  health: HealthOptions;
  model: ModelOptions;
}

/** A loaded, validated pipeline ready to run. */
export interface Pipeline {
  /** Absolute path of the pipeline file (or `<inline>`). */
  file: string;
  name: string;
  version: 1;
  seed: number;
  /** The effective document (env interpolated, overrides applied, defaults filled): plain JSON. */
  document: Record<string, unknown>;
  source: ResolvedNode<SourcePlugin>;
  features: ResolvedNode<FeaturePlugin>[];
  detectors: ResolvedNode<DetectorPlugin>[];
  fusion: ResolvedNode<FusionPlugin>;
  sinks: ResolvedNode<SinkPlugin>[];
  stages: StageOptions;
}
