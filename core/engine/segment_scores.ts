/**
 * Scoring a streaming detector segment by segment (core/engine/gap_segments.ts):
 * each segment after a long gap starts from a fresh state, the first continues the
 * carried one, and the per-segment scores are joined back into one chunk's.
 */
import { type Frame, sliceRows } from "../frame.ts";
import type { Detector, DetectorScores, RowSignature, StateValue } from "../plugin.ts";

/** Joins column-major (rows × cols) blocks of consecutive row ranges. */
function joinColumnMajor(parts: Float64Array[], lengths: number[], cols: number): Float64Array {
  const total = lengths.reduce((s, n) => s + n, 0);
  const out = new Float64Array(total * cols);
  let offset = 0;
  for (let k = 0; k < parts.length; k++) {
    const n = lengths[k];
    for (let c = 0; c < cols; c++) {
      out.set(parts[k].subarray(c * n, (c + 1) * n), c * total + offset);
    }
    offset += n;
  }
  return out;
}

function joinFlat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Joins row signatures, re-indexing sensors and tests by name into one list each. */
function joinSignatures(parts: RowSignature[]): RowSignature {
  const sensors: string[] = [], tests: string[] = [];
  const index = (list: string[], name: string) => {
    const k = list.indexOf(name);
    return k >= 0 ? k : list.push(name) - 1;
  };
  const n = parts.reduce((s, p) => s + p.sensor.length, 0);
  const sensor = new Int32Array(n), test = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    const sm = p.sensors.map((s) => index(sensors, s)), tm = p.tests.map((t) => index(tests, t));
    for (let i = 0; i < p.sensor.length; i++) {
      sensor[o + i] = p.sensor[i] >= 0 ? sm[p.sensor[i]] : -1;
      test[o + i] = p.test[i] >= 0 ? tm[p.test[i]] : -1;
    }
    o += p.sensor.length;
  }
  return { sensors, tests, sensor, test };
}

/**
 * Joins the scores of consecutive row ranges (lengths `lengths`) of one frame with
 * `cols` input columns. Contributions, traces and signatures are kept only when
 * every part has them.
 */
export function joinScores(
  parts: DetectorScores[],
  lengths: number[],
  cols: number,
): DetectorScores {
  if (parts.length === 1) return parts[0];
  const outputs: Record<string, Float64Array> = {};
  for (const name of Object.keys(parts[0].outputs)) {
    outputs[name] = joinFlat(parts.map((p) => p.outputs[name] ?? new Float64Array(0)));
  }
  const joined: DetectorScores = { outputs };
  const contributions = parts[0].contributions;
  if (contributions && parts.every((p) => p.contributions)) {
    joined.contributions = {};
    for (const name of Object.keys(contributions)) {
      if (!parts.every((p) => p.contributions![name])) continue;
      joined.contributions[name] = joinColumnMajor(
        parts.map((p) => p.contributions![name]),
        lengths,
        cols,
      );
    }
  }
  const traces = parts[0].traces;
  if (
    traces &&
    parts.every((p) => p.traces && p.traces.sensors.join("\0") === traces.sensors.join("\0"))
  ) {
    const d = traces.sensors.length;
    joined.traces = {
      sensors: [...traces.sensors],
      expected: joinColumnMajor(parts.map((p) => p.traces!.expected), lengths, d),
      residual: joinColumnMajor(parts.map((p) => p.traces!.residual), lengths, d),
    };
  }
  const signatures = parts[0].signatures;
  if (signatures && parts.every((p) => p.signatures)) {
    joined.signatures = {};
    for (const name of Object.keys(signatures)) {
      if (!parts.every((p) => p.signatures![name])) continue;
      joined.signatures[name] = joinSignatures(parts.map((p) => p.signatures![name]));
    }
  }
  return joined;
}

/** Per-row options a streaming score reads (sliced per segment). */
export interface SegmentRowOptions {
  hold: Uint8Array;
  regimes: Int32Array;
  /** The detector's learned state (incremental updates), the same for every segment. */
  learned?: StateValue | null;
}

/**
 * Scores `input` with `detector.scoreStream` segment by segment: the first segment
 * continues `carried` unless it starts after a gap (`restartFirst`), every later
 * segment starts fresh (null state). Returns the joined scores, the state after
 * the last row and the frames scored (the input itself when there is one segment).
 */
export function scoreSegments(
  detector: Detector,
  input: Frame,
  segments: [number, number][],
  carried: StateValue | null,
  restartFirst: boolean,
  rowOptions: SegmentRowOptions,
): { scores: DetectorScores; state: StateValue; frames: Frame[] } {
  const stream = detector.scoreStream!.bind(detector);
  const whole = segments.length <= 1;
  if (whole) {
    return { ...stream(input, restartFirst ? null : carried, rowOptions), frames: [input] };
  }
  const parts: DetectorScores[] = [], lengths: number[] = [], frames: Frame[] = [];
  let state: StateValue | null = restartFirst ? null : carried;
  for (let k = 0; k < segments.length; k++) {
    const [a, b] = segments[k];
    const frame = sliceRows(input, a, b);
    frames.push(frame);
    const r = stream(frame, k === 0 ? state : null, {
      hold: rowOptions.hold.subarray(a, b),
      regimes: rowOptions.regimes.subarray(a, b),
      ...(rowOptions.learned !== undefined ? { learned: rowOptions.learned } : {}),
    });
    parts.push(r.scores);
    lengths.push(b - a);
    state = r.state;
  }
  return { scores: joinScores(parts, lengths, input.columns.length), state: state!, frames };
}
