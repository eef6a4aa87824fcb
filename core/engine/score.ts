/**
 * Scoring chunks with a fitted model: gating → features (with the previous
 * chunk's warm-up rows prepended) → detector heads → calibration → regimes →
 * fusion → episodes → health. Everything that must survive a chunk edge lives
 * in the returned StreamState (plain data), so chunk k+1 can be scored in
 * another process from the state saved after chunk k.
 */
import { concatRows, type Frame, makeFrame, selectRows, sliceRows } from "../frame.ts";
import { type Logger, silentLogger } from "../log.ts";
import type {
  DataNote,
  Detector,
  FeatureTransform,
  Fusion,
  ScoredChunk,
  StateValue,
} from "../plugin.ts";
import type { Pipeline, ResolvedNode } from "../pipeline/types.ts";
import { selectHealthy } from "../sensor_health/gate.ts";
import { applyCalibrator, type CalibratorState } from "../calibration/calibrator.ts";
import { assignRegimes, type RegimeCarry, type RegimeModel } from "../regimes/mod.ts";
import { type EpisodeMachineState, runEpisodes } from "../episodes/state_machine.ts";
import type { TransientCarry } from "./transients.ts";
import type { RampCarry } from "../regimes/ramp.ts";
import type { EnvelopeState } from "../episodes/envelope.ts";
import { cadenceNote } from "./cadence_note.ts";
import { heldNote, type RegimeRows, rowStatus, withEnvelopeEpisodes } from "./envelope_status.ts";
import { healthIndex } from "../health/health_index.ts";
import { callHook, createInstance } from "./context.ts";
import { gatherInputs, headName, usedFeatures } from "./inputs.ts";
import {
  contributionsForRows,
  type DeferredHead,
  type HeadContributions,
  rowAttribution,
} from "./attribution.ts";
import type { FittedModel, StreamState } from "./types.ts";
import { addTiming, stageNow, type StageTimings } from "./timings.ts";
import { collectExtras, detectorCarry, type HeadExtras, rowProvenance } from "./provenance.ts";
import { gapBreaks, gapSegments, gapThresholdMs } from "./gap_segments.ts";
import { scoreSegments } from "./segment_scores.ts";
import { learnedCarry, learnMask } from "./incremental.ts";

/** Identifies the chunk being scored. */
export interface ChunkMeta {
  asset: string;
  chunk: string;
  modelVersion: number;
}

/** Scores chunks of one asset with one fitted model. */
export interface Scorer {
  readonly model: FittedModel;
  score(
    frame: Frame,
    stream: StreamState | null,
    meta: ChunkMeta,
  ): Promise<{ chunk: ScoredChunk; stream: StreamState }>;
  /**
   * Incremental update of the heads that support it, with the non-alarm rows of
   * the chunk last scored; returns the updated model, or null when nothing changed.
   */
  update(frame: Frame, chunk: ScoredChunk): Promise<FittedModel | null>;
}

interface TailState {
  columns: string[];
  sensors: string[];
  values: Float64Array;
  timestamps: Float64Array;
}

/** Last rows of `frame` covering `rows` rows and `ms` milliseconds, whichever is more. */
function tailOf(frame: Frame, lookback: { rows: number; ms: number }): TailState {
  let start = Math.max(0, frame.rows - lookback.rows);
  if (lookback.ms > 0 && frame.rows > 0) {
    const from = frame.timestamps[frame.rows - 1] - lookback.ms;
    while (start > 0 && frame.timestamps[start - 1] > from) start--;
  }
  const t = sliceRows(frame, start, frame.rows);
  return {
    columns: [...t.columns],
    sensors: [...t.sensors],
    values: t.values,
    timestamps: t.timestamps,
  };
}

/** Prepends the carried tail (only rows strictly before the chunk, same columns). */
function withTail(frame: Frame, tail: TailState | undefined): { frame: Frame; carried: number } {
  if (!tail || tail.timestamps.length === 0 || frame.rows === 0) return { frame, carried: 0 };
  if (
    tail.columns.length !== frame.columns.length ||
    tail.columns.some((c, j) => c !== frame.columns[j])
  ) {
    return { frame, carried: 0 };
  }
  const prev = makeFrame(tail);
  let keep = prev.rows;
  while (keep > 0 && prev.timestamps[keep - 1] >= frame.timestamps[0]) keep--;
  if (keep === 0) return { frame, carried: 0 };
  return {
    frame: concatRows(keep === prev.rows ? prev : sliceRows(prev, 0, keep), frame),
    carried: keep,
  };
}

/**
 * The stream with warm feature windows and regime/transient carry kept but no
 * episode state: the next chunk starts without an open episode (used after
 * streaming the training rows, whose alarms must not leak into the scored ones).
 */
export function withoutEpisodes(stream: StreamState): StreamState {
  return { ...stream, episodes: null, envelope: null };
}

/** Builds a scorer: re-creates every plugin instance and loads the fitted detector states. */
export async function createScorer(
  pipeline: Pipeline,
  model: FittedModel,
  options: {
    log?: Logger;
    /** When given, receives seconds per scoring stage, summed over chunks. */
    timings?: StageTimings;
  } = {},
): Promise<Scorer> {
  const log = options.log ?? silentLogger;
  const timings = options.timings;
  const stages = pipeline.stages;
  const features: { node: ResolvedNode<unknown>; transform: FeatureTransform }[] = [];
  const used = usedFeatures(pipeline.features, pipeline.detectors);
  for (const node of pipeline.features) {
    if (!used.has(node.id)) continue; // no detector reads it
    features.push({ node, transform: await createInstance(node, pipeline.seed, log) });
  }
  const detectors: { node: ResolvedNode<unknown>; detector: Detector }[] = [];
  for (const node of pipeline.detectors) {
    const detector = await createInstance(node, pipeline.seed, log);
    const state = model.detectors[node.id];
    if (!state) {
      throw new RangeError(`Cannot score: the model has no fitted state for detector "${node.id}"`);
    }
    await callHook(node, "load", () => detector.load(state));
    detectors.push({ node, detector });
  }
  const fusionNode = pipeline.fusion;
  const fusion: Fusion = await createInstance(fusionNode, pipeline.seed, log);
  const calibrators = model.engine.calibrators as unknown as Record<string, CalibratorState>;
  const regimeModel = model.engine.regimes as unknown as RegimeModel | null;
  const trainRanges = model.engine.trainRanges as unknown as Record<
    string,
    [number, number, number]
  >;
  const thresholds = {
    on_z: stages.episodes.on_z,
    off_z: stages.episodes.off_z,
    warning_z: stages.episodes.warning_z,
    critical_z: stages.episodes.critical_z,
    watch_below: stages.health.watch_below,
    alert_below: stages.health.alert_below,
  };
  let lastFrames: Map<string, Frame> | null = null;

  const scorer: Scorer = {
    model,
    async score(frame, stream, meta) {
      let t = stageNow(timings);
      const notes: DataNote[] = [];
      const selected = selectHealthy(frame, model.sensors, stages.sensor_health);
      notes.push(...selected.notes);
      const cadence = cadenceNote(model.train.step, frame.timestamps, stages.episodes);
      if (cadence) notes.push(cadence);
      const raw = selected.frame;
      const rows = raw.rows;
      const carry = (stream?.features ?? {}) as unknown as Record<string, TailState>;
      const nextCarry: Record<string, TailState> = {};
      const frames = new Map<string, Frame>([[pipeline.source.id, raw]]);
      t = addTiming(timings, "select", t);
      for (const { node, transform } of features) {
        const input = gatherInputs(node, frames);
        const { frame: extended, carried } = withTail(input, carry[node.id]);
        const out = await callHook(node, "transform", () => transform.transform(extended));
        frames.set(node.id, carried > 0 ? sliceRows(out, carried, out.rows) : out);
        nextCarry[node.id] = tailOf(extended, transform.lookback);
        t = addTiming(timings, `feature:${node.id}`, t);
      }
      lastFrames = frames;

      const zs: Record<string, Float64Array> = {};
      const contribs = new Map<string, HeadContributions>();
      const lazy: DeferredHead[] = [];
      let regimes: RegimeRows & { carry: RegimeCarry | null } = {
        labels: new Int32Array(rows).fill(-1),
        unseen: new Uint8Array(rows),
        below: new Uint8Array(rows),
        farthest: new Int32Array(rows).fill(-1),
        carry: null,
      };
      if (regimeModel) {
        const carried = (stream?.regimes ?? undefined) as unknown as RegimeCarry | undefined;
        regimes = assignRegimes(regimeModel, raw, stages.regimes, carried);
      }
      // Operating status per row: envelope, transient, and the rows the episodes hold
      // (known before the heads score: a sequential head restarts on held rows).
      const status = rowStatus(regimeModel, raw, regimes, stages, {
        transients: (stream?.transients ?? null) as unknown as TransientCarry | null,
        ramps: (stream?.ramps ?? null) as unknown as RampCarry | null,
      });
      const hold = status.hold;
      const held = heldNote(status, regimes.below, stages.regimes);
      if (held) notes.push(held);
      const known = regimes.labels.map((l, i) => (regimes.unseen[i] ? -1 : l));
      t = addTiming(timings, "regimes", t);
      const carried = detectorCarry(stream, meta.modelVersion);
      // Long gaps (episodes.max_gap_s): streaming state restarts and episodes close there.
      const lastT = typeof stream?.lastTimestamp === "number" ? stream.lastTimestamp : null;
      const breaks = gapBreaks(
        raw.timestamps,
        gapThresholdMs(raw.timestamps, stages.episodes.max_gap_s),
        lastT,
      );
      const segments = gapSegments(breaks);
      const nextDetectors: Record<string, StateValue> = {};
      // Incremental learning carried in the stream (model.incremental, Detector.updateStream).
      const incremental = stages.model.incremental;
      const learnedIn = incremental ? learnedCarry(stream, meta.modelVersion) : {};
      const learners: { node: ResolvedNode<unknown>; detector: Detector; frames: Frame[] }[] = [];
      const heads: HeadExtras = { traces: null, signatures: {} };
      for (const { node, detector } of detectors) {
        const input = gatherInputs(node, frames);
        const learns = incremental && detector.updateStream !== undefined;
        const learned = learns ? { learned: learnedIn[node.id] ?? null } : {};
        // Row-wise heads are scored without contributions here; the rows that can
        // belong to an episode get theirs below (less time, far less memory).
        // A streaming head is scored once, in order (its state moves with each call).
        const rowWise = detector.rowContributions === true && !detector.scoreStream && !learns;
        if (rowWise) lazy.push({ node, detector, input });
        const scores = await callHook(node, "score", () => {
          if (!detector.scoreStream) {
            if (learns) learners.push({ node, detector, frames: [input] });
            return detector.score(
              input,
              rowWise
                ? { contributions: false, hold, regimes: known }
                : { hold, regimes: known, ...learned },
            );
          }
          const r = scoreSegments(
            detector,
            input,
            segments,
            carried[node.id] ?? null,
            breaks[0] === 1,
            { hold, regimes: known, ...learned },
          );
          nextDetectors[node.id] = r.state;
          if (learns) learners.push({ node, detector, frames: r.frames });
          return r.scores;
        });
        t = addTiming(timings, `score:${node.id}`, t);
        collectExtras(heads, node.id, detector.outputs, scores, model.heads, rows);
        for (const output of detector.outputs) {
          const head = headName(node.id, output);
          if (!model.heads.includes(head)) continue;
          const rawScore = scores.outputs[output];
          zs[head] = applyCalibrator(
            calibrators[head],
            rawScore,
            stages.calibration,
            regimes.labels,
            regimes.unseen,
            stages.episodes.on_z,
          );
          const c = scores.contributions?.[output];
          if (c && c.length === rows * input.columns.length) {
            contribs.set(head, { values: c, sensors: input.sensors, n: rows });
          }
        }
        t = addTiming(timings, "calibrate", t);
      }
      const ordered: Record<string, Float64Array> = {};
      for (const head of model.heads) ordered[head] = zs[head] ?? new Float64Array(rows);
      const fused = await callHook(fusionNode, "fuse", () => fusion.fuse(ordered, rows));
      t = addTiming(timings, "fusion", t);

      const previous = (stream?.episodes ?? null) as unknown as EpisodeMachineState | null;
      if (lazy.length > 0) {
        // Which rows the episode machine will attribute depends only on the fused z and
        // the holds: a dry run names them, then row-wise heads score just those rows.
        const wanted: number[] = [];
        const none = { heads: {}, sensors: {}, regime: -1 };
        runEpisodes(
          fused.fused,
          raw.timestamps,
          stages.episodes,
          previous,
          (i) => {
            wanted.push(i);
            return none;
          },
          hold,
          breaks,
        );
        await contributionsForRows(lazy, Int32Array.from(wanted), rows, contribs);
      }
      const episodes = withEnvelopeEpisodes(
        runEpisodes(
          fused.fused,
          raw.timestamps,
          stages.episodes,
          previous,
          rowAttribution(model.heads, fused.contributions, contribs, regimes.labels),
          hold,
          breaks,
        ),
        {
          timestamps: raw.timestamps,
          fused: fused.fused,
          regimes,
          sensors: regimeModel?.sensors ?? [],
        },
        stages.episodes,
        (stream?.envelope ?? null) as unknown as EnvelopeState | null,
      );
      t = addTiming(timings, "episodes", t);
      const nextLearned: Record<string, StateValue> = {};
      if (learners.length > 0) {
        const learn = learnMask(fused.fused, hold, episodes.alarm, stages.model.update_max_z);
        for (const { node, detector, frames: parts } of learners) {
          let state: StateValue | null = learnedIn[node.id] ?? null;
          let from = 0;
          for (const part of parts) {
            const mask = learn.subarray(from, from + part.rows);
            from += part.rows;
            state = await callHook(
              node,
              "updateStream",
              () => detector.updateStream!(part, mask, state),
            );
          }
          nextLearned[node.id] = state;
        }
        t = addTiming(timings, "update", t);
      }
      const chunk: ScoredChunk = {
        asset: meta.asset,
        chunk: meta.chunk,
        modelVersion: meta.modelVersion,
        timestamps: raw.timestamps,
        heads: ordered,
        fused: fused.fused,
        contributions: fused.contributions,
        alarm: episodes.alarm,
        health: healthIndex(fused.fused, stages.health),
        regime: regimes.labels,
        regimeUnseen: regimes.unseen,
        envelope: status.envelope,
        transient: status.transient,
        envelopeExits: episodes.exits,
        episodes: episodes.episodes,
        sensorHealth: model.sensorHealth,
        notes,
        raw,
        trainRanges,
        thresholds,
        ...rowProvenance(heads, fused.contributions, rows),
      };
      if (heads.traces) chunk.traces = heads.traces;
      addTiming(timings, "health", t);
      const nextStream: StreamState = {
        features: nextCarry as unknown as StateValue,
        episodes: episodes.faultState as unknown as StateValue,
        regimes: (regimes.carry ?? null) as unknown as StateValue,
        transients: status.carry.transients as unknown as StateValue,
        ramps: status.carry.ramps as unknown as StateValue,
        envelope: episodes.state as unknown as StateValue,
        detectors: {
          modelVersion: meta.modelVersion,
          states: nextDetectors,
          ...(learners.length > 0 ? { learned: nextLearned } : {}),
        },
        lastTimestamp: rows > 0 ? raw.timestamps[rows - 1] : lastT,
      };
      return { chunk, stream: nextStream };
    },

    async update(_frame, chunk) {
      if (!lastFrames) return null;
      const keep: number[] = [];
      for (let i = 0; i < chunk.alarm.length; i++) if (chunk.alarm[i] === 0) keep.push(i);
      if (keep.length === 0) return null;
      let changed = false;
      const states = { ...model.detectors };
      for (const { node, detector } of detectors) {
        if (!detector.update) continue;
        const input = gatherInputs(node, lastFrames);
        const subset = keep.length === input.rows ? input : selectRows(input, keep);
        const update = detector.update.bind(detector);
        await callHook(node, "update", () => update(subset));
        states[node.id] = await callHook(node, "save", () => detector.save());
        changed = true;
      }
      if (!changed) return null;
      return { ...model, detectors: states };
    },
  };
  return scorer;
}
