/**
 * `acm plugins new` scaffolds used as a user would: generated into a temp folder
 * outside the checkout, the folder moved, each plugin validated in a pipeline,
 * and the stateful one replayed over two chunks with its CUSUM state carried.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { decodeState } from "../../core/state_codec.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function run(args: string[], cwd = ROOT): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout) + text(r.stderr) };
}
const acm = (args: string[], cwd = ROOT) =>
  run(["run", "--config", `${ROOT}deno.json`, "-A", `${ROOT}cli/acm.ts`, ...args], cwd);

/** One asset, two chunks of 200 rows; sensor b shifts up by 2 from row 150 of chunk 1 on. */
async function writeChunks(root: string): Promise<void> {
  await Deno.mkdir(`${root}/A`, { recursive: true });
  let s = 3;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  let t = Date.UTC(2024, 0, 1);
  for (const k of [1, 2]) {
    let text = "timestamp,a,b\n";
    for (let i = 0; i < 200; i++, t += 600_000) {
      const shift = k === 2 || i >= 150 ? 2 : 0;
      text += `${new Date(t).toISOString().slice(0, 19)},${rand().toFixed(4)},${
        (rand() + shift).toFixed(4)
      }\n`;
    }
    await Deno.writeTextFile(`${root}/A/batch_00${k}.csv`, text);
  }
}

const pipeline = (name: string) =>
  [
    "version: 1",
    `name: ${name}-test`,
    "plugins:",
    `  ${name}: ./plugins/${name}.ts`,
    "source: { id: raw, plugin: csv }",
    "detectors:",
    `  - { id: ${name}, plugin: ${name}, inputs: [raw] }`,
    `fusion: { id: fused, plugin: weighted_mean, inputs: [${name}] }`,
    "sinks: [{ id: out, plugin: csv }]",
    "",
  ].join("\n");

Deno.test("acm plugins new writes stateless and --stateful detectors that validate and replay from any folder", async () => {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "acm_plugins_new_" }));
  const made = await acm(["plugins", "new", "detector", "spike_z", "--dir", `${tmp}/gen`]);
  assert.equal(made.code, 0, made.out);
  const streaming = await acm(
    ["plugins", "new", "detector", "drift_cusum", "--stateful", "--dir", `${tmp}/gen`],
  );
  assert.equal(streaming.code, 0, streaming.out);
  // Absolute imports: the folder still works after it moves.
  await Deno.rename(`${tmp}/gen`, `${tmp}/plugins`);
  const source = await Deno.readTextFile(`${tmp}/plugins/drift_cusum.ts`);
  assert.match(source, new RegExp(`import type \\{[^}]*\\} from "file://${ROOT}mod\\.ts";`));
  assert.doesNotMatch(source, /from "\.\.?\//, "no relative import into the checkout");
  assert.match(source, /scoreStream\(frame: Frame, state: StateValue \| null\)/);

  const tests = await run(
    ["test", "--config", `${ROOT}deno.json`, "--allow-read", "--allow-write", "--allow-env", "."],
    `${tmp}/plugins`,
  );
  assert.equal(tests.code, 0, tests.out);
  assert.match(tests.out, /drift_cusum scoreStream\(\) over two chunks .* \.\.\. ok/);
  const fmt = await run(["fmt", "--check", "--config", `${ROOT}deno.json`, "."], `${tmp}/plugins`);
  assert.equal(fmt.code, 0, fmt.out);

  for (const name of ["spike_z", "drift_cusum"]) {
    await Deno.writeTextFile(`${tmp}/${name}.yaml`, pipeline(name));
  }
  const valid = await acm(["validate", `${tmp}/spike_z.yaml`, `${tmp}/drift_cusum.yaml`], tmp);
  assert.equal(valid.code, 0, valid.out);
  assert.match(valid.out, /spike_z\.yaml: valid/);
  assert.match(valid.out, /drift_cusum\.yaml: valid/);

  await writeChunks(`${tmp}/chunks`);
  const replayed = await acm(
    ["replay", "--pipeline", `${tmp}/drift_cusum.yaml`, "--chunk-root", `${tmp}/chunks`]
      .concat(["--artifact-root", `${tmp}/art`, "--json", `${tmp}/summary.json`]),
    tmp,
  );
  assert.equal(replayed.code, 0, replayed.out);
  const summary = JSON.parse(await Deno.readTextFile(`${tmp}/summary.json`));
  assert.equal(summary.assets[0].status, "ok");
  assert.equal(summary.assets[0].done, 2);
  type Sums = { rows_seen: number; up: Float64Array; columns: string[] };
  const sums = async (chunk: string): Promise<Sums> => {
    const bytes = await Deno.readFile(`${tmp}/art/A/state/${chunk}.bin`);
    const state = decodeState(bytes) as { detectors: { states: Record<string, Sums> } };
    return state.detectors.states.drift_cusum;
  };
  const first = await sums("batch_001.csv");
  const second = await sums("batch_002.csv");
  assert.equal(first.rows_seen, 200);
  assert.equal(second.rows_seen, 400, "the second chunk continued the first one's state");
  const b = first.columns.indexOf("b");
  assert.ok(first.up[b] > 10, `the shift built up in chunk 1 (${first.up[b]})`);
  assert.ok(second.up[b] >= first.up[b], "and kept building in chunk 2");
  await Deno.remove(tmp, { recursive: true });
});
