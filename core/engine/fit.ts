/**
 * Fitting a pipeline on a bootstrap (training) frame: sensor health gating →
 * features → regimes (and the training rows held as transients) → every detector
 * head → one calibrator per head, fitted on that head's training scores (a
 * limit-scaled head maps its own limit to on_z instead). The result is plain data (see FittedModel).
 */
import { column, type Frame, selectRows, sliceRows } from "../frame.ts";
import { digestHex, sha256Hex } from "../hash.ts";
import { type Logger, silentLogger } from "../log.ts";
import { compactFinite, selectQuantile } from "../numeric/standardize.ts";
import type { Detector, DetectorScores, PluginState, StateValue } from "../plugin.ts";
import { createRng, hashString } from "../rng.ts";
import type { Pipeline } from "../pipeline/types.ts";
import { pipelineSignature } from "../pipeline/signature.ts";
import { gateSensors, selectHealthy } from "../sensor_health/gate.ts";
import { type CalibratorState, fitCalibrator, limitCalibrator } from "../calibration/calibrator.ts";
import { assignRegimes, fitRegimes } from "../regimes/mod.ts";
import { callHook, createInstance, pluginContext } from "./context.ts";
import { addTiming, stageNow, type StageTimings } from "./timings.ts";
export type { StageTimings } from "./timings.ts";
import { transientMask } from "./transients.ts";
import { rampMask } from "../regimes/ramp.ts";
import { fusionHeads, gatherInputs, headName, usedFeatures } from "./inputs.ts";
import type { FittedModel } from "./types.ts";
import { medianStep } from "../numeric/median_step.ts";

/** Options of `fitModel`. */
export interface FitOptions {
  log?: Logger;
  /** When given, receives seconds per stage (`gate`, `feature:<id>`, `fit:<id>`, `crossfit:<id>`, ...). */
  timings?: StageTimings;
}

/**
 * Content hash of a frame's columns, timestamps and values: sha256 over the
 * column list and the sha256 digests of the two buffers (WebCrypto, hashed in
 * place, no copy).
 */
export async function frameHash(frame: Frame): Promise<string> {
  const [times, values] = [await digestHex(frame.timestamps), await digestHex(frame.values)];
  return sha256Hex(`${JSON.stringify(frame.columns)}\n${times}\n${values}`);
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
    const transform = await createInstance(node, pipeline.seed, log);
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

  const metrics: FittedModel["metrics"] = {};
  t = stageNow(timings);
  let regimeState: StateValue = null;
  let labels: Int32Array | undefined;
  let unseenTrain: Uint8Array | undefined;
  let rampTrain: Uint8Array | undefined;
  if (stages.regimes.enabled) {
    const rng = createRng((pipeline.seed ^ hashString("regimes")) >>> 0);
    const regimeModel = fitRegimes(raw, stages.regimes, rng);
    const assigned = assignRegimes(regimeModel, raw, stages.regimes);
    labels = assigned.labels;
    unseenTrain = assigned.unseen;
    rampTrain = rampMask(regimeModel, raw, stages.regimes, null).mask;
    regimeState = regimeModel as unknown as StateValue;
    metrics.regimes = { k: regimeModel.k, silhouette: round(regimeModel.silhouette ?? NaN) };
  }

  t = addTiming(timings, "regimes", t);
  // Rows that can never raise an episode (start-up / shut-down transients, and
  // operating points outside every regime when those are held) do not define
  // what "normal" scores look like.
  let transient = labels && (stages.regimes.transient_s > 0 || stages.regimes.ramp_z > 0 ||
      stages.regimes.settle_s > 0)
    ? transientMask(
      labels,
      raw.timestamps,
      stages.regimes.transient_s * 1000,
      null,
      unseenTrain,
      rampTrain,
      stages.regimes.settle_s * 1000,
    ).mask
    : null;
  if (unseenTrain && stages.episodes.hold_unseen_regime) {
    transient ??= new Uint8Array(raw.rows);
    for (let i = 0; i < raw.rows; i++) transient[i] |= unseenTrain[i];
  }

  const detectors: Record<string, PluginState> = {};
  // Nodes reading the same inputs share one input frame (and, below, one set of fold frames).
  const inputs = new Map<string, Frame>();
  const inputOf = (node: { id: string; inputs: string[] }): Frame => {
    const key = node.inputs.join("\0");
    if (!inputs.has(key)) inputs.set(key, gatherInputs(node, frames));
    return inputs.get(key)!;
  };
  const fitted: { node: DetectorNode; detector: Detector; input: Frame }[] = [];
  for (const node of pipeline.detectors) {
    const detector = await createInstance(node, pipeline.seed, log);
    t = stageNow(timings);
    const t0 = performance.now();
    const input = inputOf(node);
    const fitOptions = {
      ...(transient ? { hold: transient } : {}),
      ...(labels ? { regimes: labels } : {}),
    };
    await callHook(node, "fit", () => detector.fit(input, fitOptions));
    log.debug(`fitted in ${((performance.now() - t0) / 1000).toFixed(3)} s`, { node: node.id });
    t = addTiming(timings, `fit:${node.id}`, t);
    fitted.push({ node, detector, input });
    detectors[node.id] = await callHook(node, "save", () => detector.save());
    metrics[node.id] = {
      ...(detector.metrics?.() ?? {}),
      inputs: input.columns.length,
    };
    plugins[node.id] = { plugin: node.plugin.name, version: node.plugin.version };
  }

  const trainScores = new Map<string, Float64Array>();
  const allHeads: { node: string; head: string }[] = [];
  const { cross_fit_folds: folds, cross_fit_max_rows: maxRows } = stages.calibration;
  // A limit-scaled head needs no training scores (its calibration is z = on_z ×
  // score), so its detector does not score its training rows here.
  const calibrated = fitted.filter((f) => !f.detector.limitScaled);
  const scored = folds >= 2
    ? await outOfFoldScores(calibrated, folds, maxRows, pipeline.seed, log, timings)
    : await inSampleScores(calibrated, timings);
  for (const { node, detector, input } of fitted) {
    for (const output of detector.outputs) {
      const head = headName(node.id, output);
      allHeads.push({ node: node.id, head });
      if (detector.limitScaled) continue;
      const values = scored.get(node.id)!.outputs[output];
      if (!values || values.length !== input.rows) {
        pluginContext(node.id, node.pluginName, pipeline.seed, log).fail(
          `score() returned ${
            values?.length ?? "no"
          } values for output "${output}", expected ${input.rows}`,
        );
      }
      trainScores.set(head, values);
    }
  }
  // calibrate+ranges starts here (the training scores are timed as trainscore:<id>).
  t = stageNow(timings);
  const heads = fusionHeads(pipeline.fusion.inputs, allHeads);
  plugins[pipeline.fusion.id] = {
    plugin: pipeline.fusion.plugin.name,
    version: pipeline.fusion.plugin.version,
  };

  const calibrators: Record<string, CalibratorState> = {};
  const limitScaled = new Set(
    fitted.filter((f) => f.detector.limitScaled).flatMap((f) =>
      f.detector.outputs.map((o) => headName(f.node.id, o))
    ),
  );
  for (const head of heads) {
    if (limitScaled.has(head)) {
      calibrators[head] = limitCalibrator();
      continue;
    }
    let scores = trainScores.get(head)!;
    if (transient) scores = scores.map((v, i) => (transient[i] ? NaN : v));
    calibrators[head] = fitCalibrator(scores, stages.calibration, labels);
  }

  const trainRanges: Record<string, number[]> = {};
  const scratch = new Float64Array(raw.rows); // one buffer for every sensor, selection not sort
  raw.columns.forEach((sensor, j) => {
    scratch.set(column(raw, j));
    const finite = scratch.subarray(0, compactFinite(scratch));
    trainRanges[sensor] = [0.01, 0.5, 0.99].map((q) => selectQuantile(finite, q));
  });

  const hash = await frameHash(frame);
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
      step: medianStep(frame.timestamps),
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

type DetectorNode = Pipeline["detectors"][number];
type FittedNode = { node: DetectorNode; input: Frame };

/** Training scores of each fitted detector on its own training rows. */
async function inSampleScores(
  fitted: readonly (FittedNode & { detector: Detector })[],
  timings: StageTimings | undefined,
): Promise<Map<string, DetectorScores>> {
  const out = new Map<string, DetectorScores>();
  for (const { node, detector, input } of fitted) {
    const t = stageNow(timings);
    out.set(node.id, await callHook(node, "score", () => scoresOnly(detector, input)));
    addTiming(timings, `trainscore:${node.id}`, t);
  }
  return out;
}

/**
 * Out-of-fold training scores: the rows are cut into `folds` contiguous blocks;
 * each block is scored by a fresh instance fitted on the other blocks (at most
 * `maxRows` of them, evenly spaced). Blocks too small to fit on (< 20 rows left)
 * fall back to in-sample scores. Folds are the outer loop so that every node
 * reading the same input shares one copy of the fold's training and held-out
 * rows, and only one fold's copies are alive at a time.
 */
async function outOfFoldScores(
  fitted: readonly FittedNode[],
  folds: number,
  maxRows: number,
  seed: number,
  log: Logger,
  timings: StageTimings | undefined,
): Promise<Map<string, DetectorScores>> {
  const out = new Map<string, DetectorScores>(fitted.map((f) => [f.node.id, { outputs: {} }]));
  for (let k = 0; k < folds; k++) {
    const foldFrames = new Map<Frame, { train: Frame; held: Frame }>();
    for (const { node, input } of fitted) {
      const n = input.rows;
      const from = Math.floor((k * n) / folds), to = Math.floor(((k + 1) * n) / folds);
      if (to <= from) continue;
      const t = stageNow(timings);
      let split = foldFrames.get(input);
      if (!split) {
        const keep = foldTrainingRows(n, from, to, maxRows);
        split = {
          train: keep.length >= 20 ? selectRows(input, keep) : input,
          held: sliceRows(input, from, to),
        };
        foldFrames.set(input, split);
      }
      const fold = await createInstance(node, seed, log);
      const { train, held } = split;
      await callHook(node, "fit", () => fold.fit(train));
      const scored = await callHook(node, "score", () => scoresOnly(fold, held));
      const outputs = out.get(node.id)!.outputs;
      for (const output of fold.outputs) {
        outputs[output] ??= new Float64Array(n);
        outputs[output].set(scored.outputs[output], from);
      }
      addTiming(timings, `crossfit:${node.id}`, t);
    }
  }
  return out;
}

/** The rows outside [from, to), at most `maxRows` of them, evenly spaced. */
function foldTrainingRows(n: number, from: number, to: number, maxRows: number): Int32Array {
  const others = n - (to - from);
  const take = Math.min(others, maxRows);
  const keep = new Int32Array(take);
  for (let m = 0; m < take; m++) {
    const k = take === others ? m : Math.floor((m * others) / take);
    keep[m] = k < from ? k : k + (to - from);
  }
  return keep;
}

/** Training scores without per-column contributions (calibration reads only the scores). */
function scoresOnly(detector: Detector, frame: Frame): DetectorScores {
  return detector.score(frame, { contributions: false });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
