import assert from "node:assert/strict";
import { main } from "../../cli/acm.ts";
import { captureConsole } from "../_helpers/console.ts";

const capture = captureConsole;

Deno.test("acm schema prints the composed draft 2020-12 schema", async () => {
  const r = await capture(() => main(["schema"]));
  assert.equal(r.code, 0, r.err);
  const schema = JSON.parse(r.out);
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.ok(schema.$defs.detector_node.allOf.length >= 6);
  assert.ok(schema.$defs.detector_node.properties.plugin.examples.includes("pca"));
});

Deno.test("acm schema --output writes the same text the committed copy must hold", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/schema.json`;
    const r = await capture(() => main(["schema", "--output", file]));
    assert.equal(r.code, 0, r.err);
    const printed = await capture(() => main(["schema"]));
    assert.equal(await Deno.readTextFile(file), printed.out + "\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acm schema exits 2 on a stray argument or unknown flag", async () => {
  assert.equal((await capture(() => main(["schema", "extra"]))).code, 2);
  const flag = await capture(() => main(["schema", "--outptu", "x"]));
  assert.equal(flag.code, 2);
  assert.match(flag.err, /did you mean `--output`\?/);
});

Deno.test("acm schema --kind sensors prints the committed sensor metadata schema", async () => {
  const r = await capture(() => main(["schema", "--kind", "sensors"]));
  assert.equal(r.code, 0, r.err);
  const committed = await Deno.readTextFile(
    new URL("../../schemas/sensor_metadata.schema.json", import.meta.url),
  );
  assert.equal(r.out + "\n", committed);
  assert.equal(JSON.parse(r.out).$id, "https://acm.dev/schemas/sensor_metadata.schema.json");
  assert.equal((await capture(() => main(["schema", "--kind", "plugins"]))).code, 2);
});
