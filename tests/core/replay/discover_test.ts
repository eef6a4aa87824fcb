import assert from "node:assert/strict";
import { chunkIndex, compareChunkNames, discoverChunks } from "../../../core/replay/discover.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "acm_disc_" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (path.endsWith("/")) continue;
    await Deno.writeTextFile(full, text);
  }
  return root;
}

Deno.test("chunkIndex() takes the last integer of the file stem", () => {
  assert.equal(chunkIndex("batch_001.csv"), 1);
  assert.equal(chunkIndex("FD FAN_batch_2.csv"), 2);
  assert.equal(chunkIndex("X_2024_batch_3.CSV"), 3);
  assert.equal(chunkIndex("baseline.csv"), -1);
  assert.deepEqual(
    ["b_10.csv", "b_9.csv", "a_9.csv", "b_1.csv"].sort(compareChunkNames),
    ["b_1.csv", "a_9.csv", "b_9.csv", "b_10.csv"],
  );
});

Deno.test("discoverChunks() sorts assets by name and chunks by their last number", async () => {
  const root = await tree({
    "GT/Gas Turbine_batch_10.csv": "x",
    "GT/Gas Turbine_batch_2.csv": "x",
    "GT/X_2024_batch_1.CSV": "x",
    "GT/notes.txt": "x",
    "FD_FAN/batch_001.csv": "x",
    "MILL_Stand01_TEST_DATA.csv": "x",
  });
  const d = await discoverChunks(root);
  assert.deepEqual(d.assets.map((a) => a.asset), ["FD_FAN", "GT"]);
  assert.deepEqual(d.assets[1].chunks.map((c) => c.name), [
    "X_2024_batch_1.CSV",
    "Gas Turbine_batch_2.csv",
    "Gas Turbine_batch_10.csv",
  ]);
  assert.match(d.notes[0], /ignored 1 file\(s\) in the chunk root .*"MILL_Stand01_TEST_DATA\.csv"/);
  assert.match(d.assets[1].notes[0], /ignored 1 non-CSV entry: "notes\.txt"/);
});

Deno.test("discoverChunks() reports an asset without CSVs with the guide's message", async () => {
  const root = await tree({ "EMPTY/readme.md": "x", "OK/b_1.csv": "x" });
  const d = await discoverChunks(root);
  const empty = d.assets.find((a) => a.asset === "EMPTY")!;
  assert.equal(
    empty.error,
    `No chunks found for EMPTY under ${await Deno.realPath(`${root}/EMPTY`)}`,
  );
  assert.equal(d.assets.find((a) => a.asset === "OK")!.error, undefined);
});

Deno.test("discoverChunks() keeps the --equip order and rejects unknown names with a suggestion", async () => {
  const root = await tree({ "A/b_1.csv": "x", "GAS_TURBINE/b_1.csv": "x" });
  const d = await discoverChunks(root, ["GAS_TURBINE", "A"]);
  assert.deepEqual(d.assets.map((a) => a.asset), ["GAS_TURBINE", "A"]);
  await assert.rejects(
    () => discoverChunks(root, ["GAS_TURBIN"]),
    /no asset directory for "GAS_TURBIN" \(did you mean "GAS_TURBINE"\?\).*assets found: "A", "GAS_TURBINE"/,
  );
  await assert.rejects(
    () => discoverChunks(`${root}/nope`),
    /chunk root ".*nope" is not a readable directory/,
  );
});

Deno.test("discoverChunks() names sensors.yaml as the asset's sensor metadata, not as an ignored entry", async () => {
  const root = await tree({ "A/batch_1.csv": "t,a\n", "A/sensors.yaml": "version: 1\n" });
  try {
    const d = await discoverChunks(root, []);
    assert.deepEqual(d.assets[0].chunks.map((c) => c.name), ["batch_1.csv"]);
    assert.deepEqual(d.assets[0].notes, ["sensor metadata: sensors.yaml"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
