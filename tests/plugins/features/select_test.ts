import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import plugin, { compilePattern, type SelectOptions } from "../../../plugins/features/select.ts";
import { makeFrame } from "../../../core/frame.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";

function create(extra: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true });
  const o = structuredClone(extra);
  assert.ok(ajv.compile(plugin.options)(o), "options validate");
  return plugin.create(
    o as unknown as SelectOptions,
    pluginContext("sel", "select", 17, silentLogger),
  );
}

/** Three columns of 2 rows: a_mean and a_std derive from sensor A, Temp from itself. */
const frame = makeFrame({
  columns: ["a_mean", "a_std", "Temp"],
  sensors: ["A", "A", "Temp"],
  values: Float64Array.from([1, 2, 3, 4, 5, 6]),
  timestamps: Float64Array.from([1000, 2000]),
});

Deno.test("select.transform() keeps included columns in input order, with their values and sensors", () => {
  const out = create({ include: ["Temp", "a_mean"] }).transform(frame);
  assert.deepEqual(out.columns, ["a_mean", "Temp"]);
  assert.deepEqual(out.sensors, ["A", "Temp"]);
  assert.deepEqual([...out.values], [1, 2, 5, 6]);
  assert.deepEqual([...out.timestamps], [1000, 2000]);
});

Deno.test("select.transform() matches a sensor name against every column derived from it", () => {
  const out = create({ exclude: ["A"] }).transform(frame);
  assert.deepEqual(out.columns, ["Temp"]);
});

Deno.test("select.transform() applies /regex/ patterns and exclude after include", () => {
  const out = create({ include: ["/^a_/", "Temp"], exclude: ["/std$/"] }).transform(frame);
  assert.deepEqual(out.columns, ["a_mean", "Temp"]);
  assert.deepEqual(create({}).transform(frame).columns, frame.columns);
});

Deno.test("select.transform() fails when no column is left, naming the input columns", () => {
  assert.throws(() => create({ include: ["Pressure"] }).transform(frame), /none of 3 input column/);
});

Deno.test("compilePattern() returns null for an invalid regular expression and matches exactly otherwise", () => {
  assert.equal(compilePattern("/(/"), null);
  const exact = compilePattern("a.b")!;
  assert.equal(exact("a.b"), true);
  assert.equal(exact("axb"), false);
  assert.throws(() => create({ include: ["/[/"] }), /not a valid regular expression/);
});

Deno.test("select has no lookback", () => {
  assert.deepEqual(create({}).lookback, { rows: 0, ms: 0 });
});
