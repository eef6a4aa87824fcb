/**
 * Source text of `acm plugins new detector NAME --stateful`: a streaming
 * detector (two-sided CUSUM per sensor, Page 1954) whose sums run across chunk
 * edges through `Detector.scoreStream`; the engine saves the returned state with
 * each chunk's stream checkpoint. Imports as in cli/_plugin_template.ts: types
 * only, from the absolute URL of this installation's mod.ts.
 */
import { importLine, pascal, type TemplateImports } from "./_plugin_template.ts";

/** The plugin module `<name>.ts`. */
export function streamingDetectorTemplate(name: string, imports: TemplateImports): string {
  const Options = `${pascal(name)}Options`;
  return `/**
 * \`${name}\`: a streaming acm detector. Per sensor, a two-sided CUSUM (Page 1954)
 * of the robust z against the training median and 1.4826·MAD:
 *   up_t   = min(cap, max(0, up_{t−1} + z_t − slack))
 *   down_t = min(cap, max(0, down_{t−1} − z_t − slack))
 * so a small sustained shift (|z| above \`slack\`) builds up row after row, where a
 * row-wise z would never flag it. Row score = max over sensors of max(up, down);
 * each sensor's value is its contribution. A missing value leaves the sums as
 * they are; a sensor whose MAD is at most \`mad_floor\` is ignored.
 *
 * Streaming: \`scoreStream(frame, state)\` continues the sums from \`state\` (null
 * at the first chunk after fitting) and returns them after the last row; acm
 * saves that state with the chunk's stream checkpoint, so the next chunk (or a
 * resumed run) continues exactly where this one ended. \`score\` (training and
 * calibration) starts from zero sums.
 *
 * Only types are imported from acm (from the absolute URL of the installation
 * that generated this file), so the module has no run-time dependency: it loads
 * from any folder, inside a sandboxed replay worker and in a compiled acm binary.
 * Helper files of your own go in this folder (or a subfolder) and are imported
 * by relative path: \`acm validate\` checks the replay sandbox can read them.
 * Use it from a pipeline:
 *   plugins:
 *     ${name}: ./path/to/${name}.ts
 *   detectors:
 *     - { id: ${name}, plugin: ${name}, inputs: [raw] }
 */
${
    importLine(
      ["DetectorPlugin", "DetectorScores", "Frame", "PluginState", "StateValue"],
      imports.api,
      true,
    )
  }

/** Options of \`${name}\`. */
export interface ${Options} {
  slack: number;
  cap: number;
  mad_floor: number;
}

const NAME = "${name}";
const VERSION = "0.1.0";

/** Median of the finite values of \`x\` (NaN when there are none). */
function median(x: Float64Array): number {
  const v = x.filter(Number.isFinite).sort();
  if (v.length === 0) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** Training centre and robust scale per column. */
interface Fitted {
  columns: string[];
  center: Float64Array;
  scale: Float64Array;
}

/** The sums carried from one chunk to the next. */
interface Sums {
  columns: string[];
  up: Float64Array;
  down: Float64Array;
  /** Rows scored since fitting (all chunks). */
  rows_seen: number;
}

const plugin = {
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary: "Two-sided CUSUM of each sensor's robust z, carried across chunks (streaming).",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      slack: {
        type: "number",
        minimum: 0,
        description: "Allowance k in robust-z units: shifts smaller than this do not accumulate.",
        default: 0.5,
      },
      cap: {
        type: "number",
        exclusiveMinimum: 0,
        description: "Largest sum kept, so the statistic recovers soon after a long fault ends.",
        default: 50,
      },
      mad_floor: {
        type: "number",
        minimum: 0,
        description: "A sensor whose training MAD is at most this is ignored (it is constant).",
        default: 1e-9,
      },
    },
    examples: [{ slack: 0.5, cap: 50, mad_floor: 1e-9 }, { slack: 1 }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted =>
      fitted ?? ctx.fail(\`Cannot score: the \${NAME} detector is not fitted\`);

    /** Scores \`frame\` continuing from \`state\`; returns the scores and the sums after it. */
    const run = (
      frame: Frame,
      state: StateValue | null,
    ): { scores: DetectorScores; state: Sums } => {
      const f = need();
      const n = frame.rows, d = frame.columns.length;
      const prev = state as Sums | null;
      const same = prev !== null && prev.columns.join("\\u0000") === frame.columns.join("\\u0000");
      const up = same ? Float64Array.from(prev.up) : new Float64Array(d);
      const down = same ? Float64Array.from(prev.down) : new Float64Array(d);
      const score = new Float64Array(n);
      const contributions = new Float64Array(n * d);
      frame.columns.forEach((name, j) => {
        const k = f.columns.indexOf(name);
        if (k < 0 || !(f.scale[k] > 0)) return;
        for (let i = 0; i < n; i++) {
          const x = frame.values[j * n + i];
          if (Number.isFinite(x)) {
            const z = (x - f.center[k]) / f.scale[k];
            up[j] = Math.min(options.cap, Math.max(0, up[j] + z - options.slack));
            down[j] = Math.min(options.cap, Math.max(0, down[j] - z - options.slack));
          }
          const c = Math.max(up[j], down[j]);
          contributions[j * n + i] = c;
          if (c > score[i]) score[i] = c;
        }
      });
      return {
        scores: { outputs: { "": score }, contributions: { "": contributions } },
        state: {
          columns: [...frame.columns],
          up,
          down,
          rows_seen: (same ? prev.rows_seen : 0) + n,
        },
      };
    };

    return {
      outputs: [""],
      fit(frame: Frame) {
        const n = frame.rows, d = frame.columns.length;
        const center = new Float64Array(d), scale = new Float64Array(d);
        for (let j = 0; j < d; j++) {
          const col = frame.values.subarray(j * n, (j + 1) * n);
          center[j] = median(col);
          const mad = median(col.map((x) => Math.abs(x - center[j])));
          scale[j] = mad > options.mad_floor ? 1.4826 * mad : NaN;
        }
        fitted = { columns: [...frame.columns], center, scale };
      },
      score: (frame: Frame): DetectorScores => run(frame, null).scores,
      scoreStream(frame: Frame, state: StateValue | null) {
        const r = run(frame, state);
        return { scores: r.scores, state: r.state as unknown as StateValue };
      },
      save(): PluginState {
        const f = need();
        return {
          plugin: NAME,
          version: VERSION,
          data: { columns: f.columns, center: f.center, scale: f.scale },
        };
      },
      load(state: PluginState) {
        if (state.plugin !== NAME) {
          ctx.fail(\`Cannot load state: it belongs to plugin "\${state.plugin}"\`);
        }
        const d = state.data as { columns: string[]; center: Float64Array; scale: Float64Array };
        fitted = { columns: [...d.columns], center: d.center, scale: d.scale };
      },
    };
  },
} satisfies DetectorPlugin<${Options}>;

export default plugin;
`;
}

/** The test module \`<name>_test.ts\`. */
export function streamingDetectorTestTemplate(name: string, imports: TemplateImports): string {
  return `/**
 * Tests of the streaming \`${name}\` detector: acm's plugin contract suite and two
 * checks of what it does: a small sustained shift builds up, and scoring a
 * frame in two chunks with the state carried gives exactly the whole-frame scores.
 * Run:
 *   deno test --config ${imports.config} --allow-read --allow-write --allow-env ${name}_test.ts
 */
import assert from "node:assert/strict";
${importLine(["createRng", "makeFrame", "type PluginContext", "silentLogger"], imports.api)}
${importLine(["runContractSuite"], imports.suite)}
import plugin from "./${name}.ts";

runContractSuite(plugin);

const context: PluginContext = {
  nodeId: "${name}",
  log: silentLogger,
  rng: createRng(1),
  seed: 1,
  fail(message: string): never {
    throw new Error(message);
  },
};

const rows = 200;
const rng = createRng(7);
const values = Float64Array.from({ length: 2 * rows }, () => rng.normal());
const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
const train = makeFrame({ columns: ["a", "b"], values, timestamps });
// Sensor b shifts up by 1.5 σ from row 100 on: small per row, large once summed.
const shifted = values.map((v, i) => (i >= rows + 100 ? v + 1.5 : v));
const test = makeFrame({ columns: ["a", "b"], values: shifted, timestamps });

Deno.test("${name} score() builds up on a small sustained shift and names its sensor", () => {
  const det = plugin.create({ slack: 0.5, cap: 50, mad_floor: 1e-9 }, context);
  det.fit(train);
  const { outputs, contributions } = det.score(test);
  const score = outputs[""];
  assert.ok(score[199] > 3 * Math.max(...score.slice(0, 100)), "the shift stands out");
  const c = contributions![""];
  assert.ok(c[rows + 199] > c[199], "sensor b is the culprit");
});

Deno.test("${name} scoreStream() over two chunks with the state carried equals one whole score()", () => {
  const det = plugin.create({ slack: 0.5, cap: 50, mad_floor: 1e-9 }, context);
  det.fit(train);
  const whole = det.score(test).outputs[""];
  const half = (from: number, to: number) =>
    makeFrame({
      columns: ["a", "b"],
      values: Float64Array.from([
        ...shifted.slice(from, to),
        ...shifted.slice(rows + from, rows + to),
      ]),
      timestamps: timestamps.slice(from, to),
    });
  const first = det.scoreStream!(half(0, 120), null);
  const second = det.scoreStream!(half(120, rows), first.state);
  assert.deepEqual([...first.scores.outputs[""], ...second.scores.outputs[""]], [...whole]);
  assert.equal((second.state as { rows_seen: number }).rows_seen, rows);
  const fresh = det.scoreStream!(half(120, rows), null).scores.outputs[""];
  assert.ok(second.scores.outputs[""][0] > fresh[0], "the carried sums continue");
});
`;
}
