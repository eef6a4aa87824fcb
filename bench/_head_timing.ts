/**
 * Per-stage scoring seconds of a fitted model on one frame: sensor selection,
 * each feature node, and each detector node's score() (with contributions, as
 * the engine calls it), each timed alone. The engine's scorer only reports the
 * total; this splits it so the bench can show where scoring time goes.
 */
import type { Frame } from "../core/frame.ts";
import { silentLogger } from "../core/log.ts";
import type { Pipeline } from "../core/pipeline/types.ts";
import type { FittedModel } from "../core/engine/types.ts";
import { selectHealthy } from "../core/sensor_health/gate.ts";
import { pluginContext } from "../core/engine/context.ts";
import { gatherInputs } from "../core/engine/inputs.ts";

/** Seconds per stage: `select`, `feature:<id>`, `score:<id>` (detector node ids). */
export type StageSeconds = Record<string, number>;

/** Times every scoring stage of `model` on `frame` (no warm-up rows carried). */
export async function headTimings(
  pipeline: Pipeline,
  model: FittedModel,
  frame: Frame,
): Promise<StageSeconds> {
  const out: StageSeconds = {};
  let t = performance.now();
  const raw = selectHealthy(frame, model.sensors, pipeline.stages.sensor_health).frame;
  out.select = (performance.now() - t) / 1000;
  const frames = new Map<string, Frame>([[pipeline.source.id, raw]]);
  for (const node of pipeline.features) {
    const ctx = pluginContext(node.id, node.pluginName, pipeline.seed, silentLogger);
    const transform = await node.plugin.create(node.options as never, ctx);
    const input = gatherInputs(node, frames);
    t = performance.now();
    frames.set(node.id, await transform.transform(input));
    out[`feature:${node.id}`] = (performance.now() - t) / 1000;
  }
  for (const node of pipeline.detectors) {
    const ctx = pluginContext(node.id, node.pluginName, pipeline.seed, silentLogger);
    const detector = await node.plugin.create(node.options as never, ctx);
    detector.load(model.detectors[node.id]);
    const input = gatherInputs(node, frames);
    t = performance.now();
    detector.score(input);
    out[`score:${node.id}`] = (performance.now() - t) / 1000;
  }
  return out;
}
