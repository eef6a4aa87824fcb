import assert from "node:assert/strict";
import { interpolateString } from "../../../core/pipeline/env.ts";
import { validatePipelineText } from "../../../core/pipeline/load.ts";

const env: Record<string, string> = { ASSET: "FD_FAN", EMPTY: "", NL: "a\nb", SEED: "42" };
const lookup = (name: string) => env[name];
const value = (text: string) => {
  const r = interpolateString(text, lookup);
  return "value" in r ? r.value : `!${r.problem.code}`;
};

Deno.test("interpolateString() substitutes ${VAR}, defaults and literal $${", () => {
  assert.equal(value("data/${ASSET}/train.csv"), "data/FD_FAN/train.csv");
  assert.equal(value("${MISSING:-fallback}"), "fallback");
  assert.equal(value("${EMPTY:-fallback}"), "fallback");
  assert.equal(value("${ASSET:-fallback}"), "FD_FAN");
  assert.equal(value("${EMPTY}"), "");
  assert.equal(value("cost $5 and $${ASSET}"), "cost $5 and ${ASSET}");
  assert.equal(value("${ASSET}-${SEED}"), "FD_FAN-42");
});

Deno.test("interpolateString() reports undefined, newline and malformed references", () => {
  assert.equal(value("${MISSING}"), "!env-undefined");
  assert.equal(value("${EMPTY:?must be set}"), "!env-undefined");
  assert.equal(value("${NL}"), "!env-newline");
  assert.equal(value("${ASSET"), "!env-syntax");
  assert.equal(value("${1BAD}"), "!env-syntax");
  assert.equal(value("${A B}"), "!env-syntax");
  const r = interpolateString("${MISSING:?give the asset name}", lookup);
  assert.ok("problem" in r && r.problem.message.includes("give the asset name"));
});

const PIPELINE = (seed: string, name = "x") =>
  `version: 1
name: ${name}
seed: ${seed}
plugins:
  s: ../../fixtures/plugins/fixture_source.ts
  d: ../../fixtures/plugins/fixture_single.ts
  f: ../../fixtures/plugins/fixture_fusion.ts
source: { id: raw, plugin: s }
detectors: [{ id: ar1, plugin: d, inputs: [raw], alpha: "\${ALPHA:-0.25}" }]
fusion: { id: fused, plugin: f, inputs: [ar1] }
`;
const FILE = new URL("./inline.yaml", import.meta.url).pathname;

Deno.test("validatePipelineText() types a whole-scalar ${VAR} by the schema at its path", async () => {
  const ok = await validatePipelineText(PIPELINE("${SEED}", "${ASSET}"), FILE, { env });
  assert.deepEqual(ok.diagnostics, []);
  assert.equal(ok.pipeline!.seed, 42);
  assert.equal(ok.pipeline!.name, "FD_FAN");
  assert.equal(ok.pipeline!.detectors[0].options.alpha, 0.25);
  const quoted = await validatePipelineText(PIPELINE('"${SEED}"'), FILE, { env });
  assert.equal(quoted.pipeline!.seed, 42);
  const partial = await validatePipelineText(PIPELINE("${SEED}0"), FILE, { env });
  assert.deepEqual(partial.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), [
    "wrong-type 3:7",
  ]);
  const notNumber = await validatePipelineText(PIPELINE("${ASSET}"), FILE, { env });
  assert.deepEqual(notNumber.diagnostics.map((d) => d.code), ["wrong-type"]);
});

Deno.test("validatePipelineText() positions an env error at the scalar and suppresses its follow-up", async () => {
  const r = await validatePipelineText(PIPELINE("${NOPE}"), FILE, { env });
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.pointer}`), [
    "env-undefined 3:7 /seed",
  ]);
});
