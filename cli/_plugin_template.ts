/**
 * Source text of `acm plugins new detector NAME`: a small but real detector
 * (per-sensor robust z of each row against the training median and MAD, max
 * over sensors) written only against acm's public module, and its test, which
 * runs the plugin contract suite plus one behaviour check. With `--stateful`
 * the detector is a streaming two-sided CUSUM (cli/_plugin_template_stateful.ts).
 *
 * Imports: the plugin imports acm's types only (`import type`, erased before
 * run time), from the absolute file URL of this installation's mod.ts computed
 * when the files are generated. So the module has no run-time dependency at
 * all (it loads from any folder, in the replay sandbox and in a compiled acm)
 * and `deno check` still finds the real types wherever the folder lives; the
 * test imports run-time helpers and the contract suite from the same
 * installation by absolute URL. A relative path into the checkout would break
 * as soon as the plugin folder or the checkout moves.
 */

/**
 * An import declaration laid out as `deno fmt` would (one line when it fits in
 * 100 columns, else one name per line), so a scaffold passes `deno fmt --check`
 * wherever the project lives.
 */
export function importLine(names: string[], from: string, typeOnly = false): string {
  const head = typeOnly ? "import type" : "import";
  const one = `${head} { ${names.join(", ")} } from "${from}";`;
  return one.length <= 100
    ? one
    : `${head} {\n${names.map((n) => `  ${n},`).join("\n")}\n} from "${from}";`;
}

/** Where the generated files import acm from (absolute file URLs of this installation). */
export interface TemplateImports {
  /** acm's public module (`mod.ts`), as a file URL. */
  api: string;
  /** The contract suite (tests/plugins/contract/contract_suite.ts), as a file URL. */
  suite: string;
  /** The acm deno.json (absolute path), for the test command in the header comment. */
  config: string;
}

export const pascal = (name: string) =>
  name.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** The plugin module `<name>.ts`. */
export function detectorTemplate(name: string, imports: TemplateImports): string {
  const Options = `${pascal(name)}Options`;
  return `/**
 * \`${name}\`: an acm detector. Per sensor, the robust z of each row against the
 * training median and MAD (Hampel 1974; scale = 1.4826·MAD, consistent with the
 * std for normal data): z = |x − median| / (1.4826·MAD). Row score = max over
 * sensors; each sensor's z is its contribution. A missing value contributes 0;
 * a sensor whose MAD is at most \`mad_floor\` is ignored.
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
${importLine(["DetectorPlugin", "DetectorScores", "Frame", "PluginState"], imports.api, true)}

/** Options of \`${name}\`. */
export interface ${Options} {
  mad_floor: number;
  clip_z: number;
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

const plugin = {
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary: "Per-sensor robust z (training median / 1.4826·MAD); score = max over sensors.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      mad_floor: {
        type: "number",
        minimum: 0,
        description: "A sensor whose training MAD is at most this is ignored (it is constant).",
        default: 1e-9,
      },
      clip_z: {
        type: "number",
        exclusiveMinimum: 0,
        description: "Largest z reported per sensor, so one wild value cannot dominate forever.",
        default: 50,
      },
    },
    examples: [{ mad_floor: 1e-9, clip_z: 50 }, { clip_z: 10 }],
  },
  create(options, ctx) {
    let fitted: Fitted | null = null;
    const need = (): Fitted =>
      fitted ?? ctx.fail(\`Cannot score: the \${NAME} detector is not fitted\`);
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
      score(frame: Frame): DetectorScores {
        const f = need();
        const n = frame.rows;
        const score = new Float64Array(n);
        const contributions = new Float64Array(n * frame.columns.length);
        frame.columns.forEach((name, j) => {
          const k = f.columns.indexOf(name);
          if (k < 0 || !(f.scale[k] > 0)) return;
          for (let i = 0; i < n; i++) {
            const x = frame.values[j * n + i];
            if (!Number.isFinite(x)) continue;
            const z = Math.min(options.clip_z, Math.abs(x - f.center[k]) / f.scale[k]);
            contributions[j * n + i] = z;
            if (z > score[i]) score[i] = z;
          }
        });
        return { outputs: { "": score }, contributions: { "": contributions } };
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
export function detectorTestTemplate(name: string, imports: TemplateImports): string {
  return `/**
 * Tests of the \`${name}\` detector: acm's plugin contract suite (schema,
 * examples, create, score shape, determinism, state round-trip) and one check
 * of what it detects. Run:
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

Deno.test("${name} score() is highest on the row that leaves the training range", () => {
  const rng = createRng(7);
  const rows = 200;
  const values = Float64Array.from({ length: 2 * rows }, () => rng.normal());
  const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
  const train = makeFrame({ columns: ["a", "b"], values, timestamps });
  const test = makeFrame({ columns: ["a", "b"], values: values.slice(), timestamps });
  test.values[rows + 150] = 12; // sensor b, row 150
  const det = plugin.create({ mad_floor: 1e-9, clip_z: 50 }, context);
  det.fit(train);
  const { outputs, contributions } = det.score(test);
  const score = outputs[""];
  assert.equal(score.indexOf(Math.max(...score)), 150);
  assert.ok(score[150] > 5);
  const c = contributions![""];
  assert.ok(c[rows + 150] > c[150], "sensor b is the culprit");
});
`;
}
