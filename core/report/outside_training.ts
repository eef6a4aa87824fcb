/**
 * Which sensors ran outside their training range during an episode: per sensor,
 * the share of the episode's rows whose reading lies beyond the training band
 * p01–p99 widened by BAND_MARGIN of its width on each side (training.json's
 * ranges). A model of sensors from each other still extrapolates when the
 * operating point (load, ambient) leaves what it was trained on; this says when
 * an episode sits there, so an engineer can tell "the culprit itself left its
 * range" (often the fault) from "the load or the season moved beyond training"
 * (retrain on data that covers it) without reading every trace.
 */
import { lowerBound } from "../numeric/lower_bound.ts";

/** Widening of the training band p01–p99 on each side, as a fraction of its width. */
export const BAND_MARGIN = 0.25;
/** Share of an episode's rows a sensor must spend beyond its band to be named. */
export const MIN_SHARE = 0.5;

/** One sensor outside its training band for most of an episode. */
export interface OutsideTraining {
  sensor: string;
  /** Share of the episode's rows with a reading (finite) beyond the widened band, 0–1. */
  share: number;
  /** Which side most of those rows were on. */
  side: "above" | "below";
}

/**
 * The sensors beyond their widened training band on at least `minShare` of the
 * rows with start ≤ t ≤ end (`t` ascending), largest share first; a sensor with
 * no finite reading in the span or a zero-width band is not judged.
 */
export function outsideTraining(
  sensors: { t: Float64Array; values: Record<string, Float64Array> },
  ranges: Record<string, readonly [number, number, number]>,
  start: number,
  end: number,
  minShare = MIN_SHARE,
): OutsideTraining[] {
  const from = lowerBound(sensors.t, start);
  let to = from;
  while (to < sensors.t.length && sensors.t[to] <= end) to++;
  const out: OutsideTraining[] = [];
  for (const [sensor, values] of Object.entries(sensors.values)) {
    const range = ranges[sensor];
    if (!range) continue;
    const width = range[2] - range[0];
    if (!(width > 0)) continue;
    const lo = range[0] - BAND_MARGIN * width, hi = range[2] + BAND_MARGIN * width;
    let finite = 0, above = 0, below = 0;
    for (let i = from; i < to; i++) {
      const x = values[i];
      if (x !== x) continue;
      finite++;
      if (x > hi) above++;
      else if (x < lo) below++;
    }
    if (finite === 0) continue;
    const share = (above + below) / finite;
    if (share >= minShare) out.push({ sensor, share, side: above >= below ? "above" : "below" });
  }
  return out.sort((a, b) => b.share - a.share || (a.sensor < b.sensor ? -1 : 1));
}

/**
 * Of `episodes` with their sensors outside training (`outside`, as
 * {@link outsideTraining} gives), how many have any (`any`) and how many of those
 * have none of their culprits among them (`others`: the model extrapolates).
 */
export function countOutside(
  episodes: readonly {
    culprits: readonly { sensor: string }[];
    outside: readonly OutsideTraining[];
  }[],
): { any: number; others: number } {
  let any = 0, others = 0;
  for (const { culprits, outside } of episodes) {
    if (outside.length === 0) continue;
    any++;
    if (!outside.some((x) => culprits.some((c) => c.sensor === x.sensor))) others++;
  }
  return { any, others };
}
