import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import csv, { type CsvSourceOptions } from "../../../plugins/sources/csv.ts";
import { DataError } from "../../../core/errors.ts";
import { createRng } from "../../../core/rng.ts";
import { silentLogger } from "../../../core/log.ts";
import type { PluginContext } from "../../../core/plugin.ts";

const FIXTURES = new URL("../../fixtures/csv/", import.meta.url);

const ctx: PluginContext = {
  nodeId: "raw",
  log: silentLogger,
  rng: createRng(1),
  seed: 1,
  fail(message) {
    throw new Error(message);
  },
};

function compile() {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true, allErrors: true });
  return ajv.compile(csv.options);
}

/** Options with the schema defaults filled, as the pipeline loader hands them over. */
function withDefaults(options: Record<string, unknown>): CsvSourceOptions {
  const copy = structuredClone(options);
  assert.ok(compile()(copy));
  return copy as unknown as CsvSourceOptions;
}

Deno.test("csv plugin metadata follows the plugin contract", () => {
  assert.equal(csv.kind, "source");
  assert.equal(csv.name, "csv");
  assert.match(csv.version, /^\d+\.\d+\.\d+$/);
  assert.equal(csv.host_api, "^1.0.0");
  assert.equal(csv.options.additionalProperties, false);
  const props = csv.options.properties as Record<string, Record<string, unknown>>;
  for (const [key, prop] of Object.entries(props)) {
    assert.equal(typeof prop.description, "string", key);
    assert.ok("default" in prop, key);
  }
});

Deno.test("csv plugin options schema compiles, examples and defaults validate, typos fail", () => {
  const validate = compile();
  for (const example of csv.options.examples as unknown[]) {
    assert.ok(validate(structuredClone(example)), JSON.stringify(validate.errors));
  }
  const filled = withDefaults({});
  assert.deepEqual(filled, {
    delimiter: "auto",
    timestamp_column: "auto",
    exclude_columns: [],
    descriptive_rows: "auto",
    duplicates: "keep_last",
    non_numeric: "nan",
    max_non_numeric_fraction: 0.5,
    day_first: false,
    resample_s: 0,
    resample_method: "mean",
  });
  assert.equal(validate({ delimiter: ":" }), false);
  assert.equal(validate({ resample_s: -60 }), false);
  assert.equal(validate({ resample_method: "median" }), false);
  assert.equal(validate({ max_non_numeric_fraction: 2 }), false);
  assert.equal(validate({ timestamp_colum: "ts" }), false);
  assert.equal(validate({ exclude_columns: "anomaly" }), false);
});

Deno.test("csv plugin read() returns the frame and the notes of a file", async () => {
  const source = csv.create(
    withDefaults({ exclude_columns: ["anomaly"], timestamp_column: "datetime" }),
    ctx,
  );
  const { frame, notes } = await source.read(new URL("quoted_semicolon.csv", FIXTURES).pathname);
  assert.deepEqual(frame.columns, ["Pressure", 'Valve "A" position']);
  assert.deepEqual([...frame.values], [0.05, 0.38, 0.71, 1, 2, NaN]);
  assert.deepEqual(notes.map((n) => n.kind).sort(), ["non-numeric-cells", "unsorted"]);
});

Deno.test("csv plugin read() lets a positioned DataError through", async () => {
  const source = csv.create(
    withDefaults({ descriptive_rows: "none", timestamp_column: "Point Name" }),
    ctx,
  );
  await assert.rejects(
    source.read(new URL("descriptive_mixed_dates.csv", FIXTURES).pathname),
    (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.code, "csv-timestamp");
      assert.equal(e.position.line, 2);
      assert.match(e.message, /descriptive_mixed_dates\.csv:2: /);
      return true;
    },
  );
});
