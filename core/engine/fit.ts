/**
 * Fitting a pipeline on a bootstrap (training) frame: sensor health gating →
 * features → every detector head → regimes → one calibrator per head, fitted on
 * that head's training scores. The result is plain data (see FittedModel).
 */
import { column, type Frame, selectRows, sliceRows } from "../frame.ts";
import { sha256Hex } from "../hash.ts";
import { type Logger, silentLogger } from "../log.ts";
import { quantileSorted, sortedFinite } from "../numeric/stats.ts";
import type { Detector, DetectorScores, PluginState, StateValue } from "../plugin.ts";
import { createRng, hashString } from "../rng.ts";
import type { Pipeline } from "../pipeline/types.ts";
import { pipelineSignature } from "../pipeline/signature.ts";
import { gateSensors, selectHealthy } from "../sensor_health/gate.ts";
import { type CalibratorState, fitCalibrator } from "../calibration/calibrator.ts";
import { assignRegimes, fitRegimes } from "../regimes/mod.ts";
import { callHook, pluginContext } from "./context.ts";
import { addTiming, stageNow, type StageTimings } from "./timings.ts";
export type { StageTimings } from "./timings.ts";
import { transientMask } from "./transients.ts";
import { fusionHeads, gatherInputs, headName, usedFeatures } from "./inputs.ts";
import type { FittedModel } from "./types.ts";

/** Options of `fitModel`. */
export interface FitOptions {
  log?: Logger;
  /** When given, receives seconds per stage (`gate`, `feature:<id>`, `fit:<id>`, `crossfit:<id>`, ...). */
  timings?: StageTimings;
}

/**
 * Content hash of a frame's columns, timestamps and values: sha256 over the
 * column list and the sha256 digests of the two buffers (hashed in place, no copy).
 */
export function frameHash(frame: Frame): string {
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return sha256Hex(
    `${JSON.stringify(frame.columns)}\n${sha256Hex(bytes(frame.timestamps))}\n${
      sha256Hex(bytes(frame.values))
    }`,
  );
}

/** Fits every stage of `pipeline` on `frame` (the bootstrap chunk). */
export async function fitModel(
  pipeline: Pipeline,
  frame: Frame,
  options: FitOptions = {},
): Promise<FittedModel> {
  const log = options.log ?? silentLogger;
  const timings = options.timings;
  let t = stageNow(timings);
  const stages = pipeline.stages;
  if (frame.rows < 2) {
    throw new RangeError(
      `Cannot fit: the training chunk has ${frame.rows} row(s); at least 2 are needed`,
    );
  }
  const gate = gateSensors(frame, stages.sensor_health);
  for (const h of gate.health) {
    if (h.status === "excluded") log.warn(`sensor "${h.sensor}" excluded: ${h.reason}`);
  }
  if (gate.healthy.length === 0) {
    throw new RangeError(
      `Cannot fit: no healthy sensor among ${frame.columns.length} (${
        gate.health.map((h) => `${h.sensor}: ${h.reason}`).join("; ")
      })`,
    );
  }
  const raw = selectHealthy(frame, gate.healthy, stages.sensor_health).frame;
  t = addTiming(timings, "gate", t);
  const frames = new Map<string, Frame>([[pipeline.source.id, raw]]);
  const features: Record<string, string[]> = {};
  const plugins: FittedModel["plugins"] = {};
  const used = usedFeatures(pipeline.features, pipeline.detectors);
  for (const node of pipeline.features) {
    if (!used.has(node.id)) continue; // no detector reads it
    const ctx = pluginContext(node.id, node.pluginName, pipeline.seed, log);
    const transform = await callHook(
      node,
      "create",
      () => node.plugin.create(node.options as never, ctx),
    );
    const out = await callHook(
      node,
      "transform",
      () => transform.transform(gatherInputs(node, frames)),
    );
    frames.set(node.id, out);
    t = addTiming(timings, `feature:${node.id}`, t);
    features[node.id] = [...out.columns];
    plugins[node.id] = { plugin: node.plugin.name, version: node.plugin.version };
  }

  const detectors: Record<string, PluginState> = {};
  const metrics: FittedModel["metrics"] = {};
  const trainScores = new Map<string, Float64Array>();
  const allHeads: { node: string; head: string }[] = [];
  for (const node of pipeline.detectors) {
    const ctx = pluginContext(node.id, node.pluginName, pipeline.seed, log);
    const detector = await callHook(
      node,
      "create",
      () => node.plugin.create(node.options as never, ctx),
    );
    t = stageNow(timings);
    const t0 = performance.now();
    const input = gatherInputs(node, frames);
    await callHook(node, "fit", () => detector.fit(input));
    log.debug(`fitted in ${((performance.now() - t0) / 1000).toFixed(3)} s`, { node: node.id });
    t = addTiming(timings, `fit:${node.id}`, t);
    const crossFit = stages.calibration.cross_fit_folds >= 2;
    const scores = crossFit
      ? await outOfFoldScores(
        node,
        input,
        stages.calibration.cross_fit_folds,
        stages.calibration.cross_fit_max_rows,
        pipeline.seed,
        log,
      )
      : await callHook(node, "score", () => scoresOnly(detector, input));
    t = addTiming(timings, `${crossFit ? "crossfit" : "trainscore"}:${node.id}`, t);
    for (const output of detector.outputs) {
      const head = headName(node.id, output);
      const values = scores.outputs[output];
      if (!values || values.length !== input.rows) {
        ctx.fail(
          `score() returned ${
            values?.length ?? "no"
          } values for output "${output}", expected ${input.rows}`,
        );
      }
      trainScores.set(head, values);
      allHeads.push({ node: node.id, head });
    }
    detectors[node.id] = await callHook(node, "save", () => detector.save());
    metrics[node.id] = {
      ...(detector.metrics?.() ?? {}),
      inputs: input.columns.length,
    };
    plugins[node.id] = { plugin: node.plugin.name, version: node.plugin.version };
  }
  const heads = fusionHeads(pipeline.fusion.inputs, allHeads);
  plugins[pipeline.fusion.id] = {
    plugin: pipeline.fusion.plugin.name,
    version: pipeline.fusion.plugin.version,
  };

  t = stageNow(timings);
  let regimeState: StateValue = null;
  let labels: Int32Array | undefined;
  let unseenTrain: Uint8Array | undefined;
  if (stages.regimes.enabled) {
    const rng = createRng((pipeline.seed ^ hashString("regimes")) >>> 0);
    const regimeModel = fitRegimes(raw, stages.regimes, rng);
    const assigned = assignRegimes(regimeModel, raw, stages.regimes);
    labels = assigned.labels;
    unseenTrain = assigned.unseen;
    regimeState = regimeModel as unknown as StateValue;
    metrics.regimes = { k: regimeModel.k, silhouette: round(regimeModel.silhouette ?? NaN) };
  }

  t = addTiming(timings, "regimes", t);
  const calibrators: Record<string, CalibratorState> = {};
  // Rows that can never raise an episode (start-up / shut-down transients, and
  // operating points outside every regime when those are held) do not define
  // what "normal" scores look like.
  let transient = labels && stages.regimes.transient_s > 0
    ? transientMask(labels, raw.timestamps, stages.regimes.transient_s * 1000, null, unseenTrain)
      .mask
    : null;
  if (unseenTrain && stages.episodes.hold_unseen_regime) {
    transient ??= new Uint8Array(raw.rows);
    for (let i = 0; i < raw.rows; i++) transient[i] |= unseenTrain[i];
  }
  for (const head of heads) {
    let scores = trainScores.get(head)!;
    if (transient) scores = scores.map((v, i) => (transient[i] ? NaN : v));
    calibrators[head] = fitCalibrator(scores, stages.calibration, labels);
  }

  const trainRanges: Record<string, number[]> = {};
  raw.columns.forEach((sensor, j) => {
    const sorted = sortedFinite(column(raw, j)); // one sort for the three quantiles
    trainRanges[sensor] = [0.01, 0.5, 0.99].map((q) => quantileSorted(sorted, q));
  });

  const hash = frameHash(frame);
  addTiming(timings, "calibrate+ranges", t);
  return {
    signature: pipelineSignature(pipeline),
    seed: pipeline.seed,
    sensors: [...raw.columns],
    sensorHealth: gate.health,
    features,
    heads,
    plugins,
    train: {
      rows: frame.rows,
      start: frame.timestamps[0],
      end: frame.timestamps[frame.rows - 1],
      hash,
    },
    metrics,
    detectors,
    engine: {
      calibrators: calibrators as unknown as StateValue,
      regimes: regimeState,
      trainRanges: trainRanges as unknown as StateValue,
    },
  };
}

/**
 * Out-of-fold training scores: the rows are cut into `folds` contiguous blocks;
 * each block is scored by a fresh instance fitted on the other blocks (at most
 * `maxRows` of them, evenly spaced). Blocks too small to fit on (< 20 rows left)
 * fall back to in-sample scores.
 */
async function outOfFoldScores(
  node: Pipeline["detectors"][number],
  input: Frame,
  folds: number,
  maxRows: number,
  seed: number,
  log: Logger,
): Promise<DetectorScores> {
  const n = input.rows;
  const outputs: Record<string, Float64Array> = {};
  for (let k = 0; k < folds; k++) {
    const from = Math.floor((k * n) / folds), to = Math.floor(((k + 1) * n) / folds);
    if (to <= from) continue;
    const others = n - (to - from);
    const take = Math.min(others, maxRows);
    const keep = new Array<number>(take);
    for (let m = 0; m < take; m++) {
      const k = take === others ? m : Math.floor((m * others) / take);
      keep[m] = k < from ? k : k + (to - from);
    }
    const ctx = pluginContext(node.id, node.pluginName, seed, log);
    const fold = await callHook(
      node,
      "create",
      () => node.plugin.create(node.options as never, ctx),
    );
    const train = keep.length >= 20 ? selectRows(input, keep) : input;
    await callHook(node, "fit", () => fold.fit(train));
    const scored = await callHook(
      node,
      "score",
      () => scoresOnly(fold, sliceRows(input, from, to)),
    );
    for (const output of fold.outputs) {
      outputs[output] ??= new Float64Array(n);
      outputs[output].set(scored.outputs[output], from);
    }
  }
  return { outputs };
}

/** Training scores without per-column contributions (calibration reads only the scores). */
function scoresOnly(detector: Detector, frame: Frame): DetectorScores {
  return detector.score(frame, { contributions: false });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
