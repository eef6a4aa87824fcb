/**
 * Per-row provenance of a scored chunk beside the fused z: which head won
 * (`topHead`), that head's culprit sensor and test (`signature`), and the
 * per-sensor traces of the head that exports them; plus the streaming detector
 * states carried from the previous chunk of the same model version.
 */
import type { DetectorScores, RowSignature, SensorTraces, StateValue } from "../plugin.ts";
import type { StreamState } from "./types.ts";
import { headName } from "./inputs.ts";

/** Traces and signatures gathered from the heads of one chunk. */
export interface HeadExtras {
  /** The first fused head's traces (one head exports them in practice). */
  traces: SensorTraces | null;
  /** Head name → its row signature. */
  signatures: Record<string, RowSignature>;
}

/**
 * The streaming detector states saved after the previous chunk, or none when that
 * chunk was scored by another model version (a refitted model starts fresh).
 */
export function detectorCarry(
  stream: StreamState | null,
  modelVersion: number,
): Record<string, StateValue> {
  const saved = stream?.detectors as
    | { modelVersion: number; states: Record<string, StateValue> }
    | null
    | undefined;
  if (!saved || saved.modelVersion !== modelVersion) return {};
  return saved.states;
}

/** Records the traces and signatures of one detector node's heads that feed fusion. */
export function collectExtras(
  extras: HeadExtras,
  nodeId: string,
  outputs: readonly string[],
  scores: DetectorScores,
  fusedHeads: readonly string[],
  rows: number,
): void {
  for (const output of outputs) {
    const head = headName(nodeId, output);
    if (!fusedHeads.includes(head)) continue;
    const sig = scores.signatures?.[output];
    if (sig && sig.sensor.length === rows && sig.test.length === rows) {
      extras.signatures[head] = sig;
    }
  }
  const tr = scores.traces;
  if (
    !extras.traces && tr && tr.expected.length === rows * tr.sensors.length &&
    outputs.some((o) => fusedHeads.includes(headName(nodeId, o)))
  ) {
    extras.traces = tr;
  }
}

/**
 * Per row, the head with the largest positive share of the fused z (index into
 * the heads' order, -1 when none is positive) and, where that head names one, its
 * culprit sensor and test (merged over heads into one sensor and test list).
 */
export function rowProvenance(
  extras: HeadExtras,
  contributions: Record<string, Float64Array>,
  rows: number,
): { topHead: Int32Array; signature?: RowSignature } {
  const heads = Object.keys(contributions);
  const topHead = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let h = 0; h < heads.length; h++) {
      const v = contributions[heads[h]][i];
      if (v > best) {
        best = v;
        topHead[i] = h;
      }
    }
  }
  const named = heads.filter((h) => extras.signatures[h]);
  if (named.length === 0) return { topHead };
  const sensors: string[] = [], tests: string[] = [];
  const index = (list: string[], name: string) => {
    let k = list.indexOf(name);
    if (k < 0) k = list.push(name) - 1;
    return k;
  };
  const maps = new Map<string, { s: Int32Array; t: Int32Array }>();
  for (const h of named) {
    const sig = extras.signatures[h];
    maps.set(h, {
      s: Int32Array.from(sig.sensors, (n) => index(sensors, n)),
      t: Int32Array.from(sig.tests, (n) => index(tests, n)),
    });
  }
  const sensor = new Int32Array(rows).fill(-1), test = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    const h = topHead[i];
    if (h < 0) continue;
    const sig = extras.signatures[heads[h]];
    if (!sig) continue;
    const m = maps.get(heads[h])!;
    if (sig.sensor[i] >= 0) sensor[i] = m.s[sig.sensor[i]];
    if (sig.test[i] >= 0) test[i] = m.t[sig.test[i]];
  }
  return { topHead, signature: { sensors, tests, sensor, test } };
}
