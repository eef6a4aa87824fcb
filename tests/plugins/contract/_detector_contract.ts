/**
 * Detector cases of the contract suite, per option set: fit → score gives one
 * finite array of length rows per declared output (also with missing cells),
 * contributions are rows × input columns and non-negative, score() has no side
 * effects, the same seed gives bit-identical scores, save() is tagged with the
 * plugin's name and version, and the state survives the binary codec
 * (core/state_codec.ts) into a fresh instance that scores bit-identically;
 * update(), where present, keeps the scores well-formed; updateStream(), where
 * present, returns a learned state that survives the codec and, handed back as
 * `ScoreOptions.learned`, gives well-formed, reproducible scores.
 */
import assert from "node:assert/strict";
import type { Frame } from "../../../core/frame.ts";
import type { Detector, DetectorScores, StateValue } from "../../../core/plugin.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import { detectorFrames } from "./_contract_data.ts";
import type { ContractCase } from "./contract_suite.ts";

/** Registers the detector cases of `c`. */
export function detectorContract(c: ContractCase): void {
  const frames = c.opts.frames ?? detectorFrames();
  for (const { name, options } of c.optionSets()) {
    const fitted = async (seed = c.seed): Promise<Detector> => {
      const det = c.create<Detector>(options, seed);
      await det.fit(frames.train);
      return det;
    };

    Deno.test(`${c.label} (${name}): score() gives finite scores of length rows for every output`, async () => {
      const det = await fitted();
      assert.ok(Array.isArray(det.outputs) && det.outputs.length > 0, "declares outputs");
      assert.equal(new Set(det.outputs).size, det.outputs.length, "output names are unique");
      for (const frame of [frames.train, frames.test]) {
        checkScores(det, det.score(frame), frame);
      }
    });

    Deno.test(`${c.label} (${name}): score() has no side effects and the same seed gives the same scores`, async () => {
      const a = await fitted();
      const b = await fitted();
      const first = a.score(frames.test);
      assertIdentical(a.score(frames.test), first, "scoring twice");
      assertIdentical(b.score(frames.test), first, "a second instance with the same seed");
    });

    Deno.test(`${c.label} (${name}): save() → encodeState → decodeState → load() scores bit-identically`, async () => {
      const det = await fitted();
      const before = det.score(frames.test);
      const state = det.save();
      assert.equal(state.plugin, c.plugin.name, "state is tagged with the plugin name");
      assert.equal(state.version, c.plugin.version, "state is tagged with the plugin version");
      const bytes = encodeState(state as unknown as StateValue);
      const restored = c.create<Detector>(options, c.seed + 1);
      restored.load(decodeState(bytes) as never);
      assertIdentical(restored.score(frames.test), before, "the restored detector");
      if (det.metrics) assert.deepEqual(restored.metrics?.(), det.metrics());
    });

    if (typeof c.create<Detector>(options).update === "function") {
      Deno.test(`${c.label} (${name}): update() with new rows keeps the scores well-formed`, async () => {
        const det = await fitted();
        det.update!(frames.test);
        checkScores(det, det.score(frames.test), frames.test);
        const restored = c.create<Detector>(options);
        restored.load(decodeState(encodeState(det.save() as unknown as StateValue)) as never);
        assertIdentical(
          restored.score(frames.test),
          det.score(frames.test),
          "state saved after update()",
        );
      });
    }

    if (typeof c.create<Detector>(options).updateStream === "function") {
      Deno.test(`${c.label} (${name}): updateStream() learns a state that survives the codec and scores well-formed`, async () => {
        const det = await fitted();
        const score = (learned: StateValue | null) =>
          det.scoreStream
            ? det.scoreStream(frames.test, null, { learned }).scores
            : det.score(frames.test, { learned });
        score(null);
        const learn = new Uint8Array(frames.test.rows).fill(1);
        const learned = det.updateStream!(frames.test, learn, null);
        const again = decodeState(encodeState(learned)) as StateValue;
        const a = score(learned);
        checkScores(det, a, frames.test);
        assertIdentical(score(again), a, "the decoded learned state");
        const twice = det.updateStream!(frames.test, learn, again);
        checkScores(det, score(twice), frames.test);
      });
    }
  }
}

function checkScores(det: Detector, scores: DetectorScores, frame: Frame): void {
  assert.deepEqual(
    Object.keys(scores.outputs).sort(),
    [...det.outputs].sort(),
    "one array per output",
  );
  for (const [out, values] of Object.entries(scores.outputs)) {
    assert.ok(values instanceof Float64Array, `output "${out}" is a Float64Array`);
    assert.equal(values.length, frame.rows, `output "${out}" has one score per row`);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    assert.equal(bad, -1, `output "${out}" row ${bad} is ${values[bad]}`);
  }
  for (const [out, contrib] of Object.entries(scores.contributions ?? {})) {
    assert.ok(det.outputs.includes(out), `contributions of unknown output "${out}"`);
    assert.equal(
      contrib.length,
      frame.rows * frame.columns.length,
      `contributions of "${out}" are rows × columns`,
    );
    const bad = contrib.findIndex((v) => !(v >= 0) || !Number.isFinite(v));
    assert.equal(bad, -1, `contribution ${bad} of "${out}" is ${contrib[bad]}`);
  }
}

function assertIdentical(actual: DetectorScores, expected: DetectorScores, what: string): void {
  const same = (a: Record<string, Float64Array>, b: Record<string, Float64Array>, part: string) => {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${what}: ${part} names`);
    for (const k of Object.keys(b)) {
      assert.equal(a[k].length, b[k].length, `${what}: ${part} "${k}" length`);
      const i = b[k].findIndex((v, j) => !Object.is(v, a[k][j]));
      assert.equal(i, -1, `${what}: ${part} "${k}"[${i}] is ${a[k][i]}, expected ${b[k][i]}`);
    }
  };
  same(actual.outputs, expected.outputs, "output");
  same(actual.contributions ?? {}, expected.contributions ?? {}, "contributions");
}
