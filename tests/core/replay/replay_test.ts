import assert from "node:assert/strict";
import { replay, type ReplayOptions } from "../../../core/replay/replay.ts";
import { type Ledger, LEDGER_FILE } from "../../../core/replay/ledger.ts";
import { listVersions, readManifest } from "../../../core/replay/model_store.ts";
import type { ReplayEvent } from "../../../core/replay/events.ts";
import { summaryText } from "../../../core/replay/progress.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

async function setup(
  doc: Record<string, unknown> = {},
  fleet = { assets: ["A", "B"], chunks: 3, rows: 60 },
) {
  const dir = await Deno.makeTempDir({ prefix: "acm_replay_" });
  await writeFleet(`${dir}/chunks`, fleet);
  const pipeline = await writeFakePipeline(dir, doc);
  const base: ReplayOptions = {
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  };
  return { dir, base, art: `${dir}/art` };
}

const readLedger = async (art: string) =>
  JSON.parse(await Deno.readTextFile(`${art}/${LEDGER_FILE}`)) as Ledger;

Deno.test("replay() bootstraps on the first chunk, scores the rest and records every chunk", async () => {
  const { base, art } = await setup();
  const events: ReplayEvent[] = [];
  const s = await replay({ ...base, maxWorkers: 2, onEvent: (e) => events.push(e) });
  assert.equal(s.exitCode, 0);
  assert.deepEqual(s.assets.map((a) => [a.asset, a.done, a.rows, a.modelVersions]), [
    ["A", 3, 180, [1]],
    ["B", 3, 180, [1]],
  ]);
  const ledger = await readLedger(art);
  assert.deepEqual(ledger.assets.A.chunks.map((e) => [e.file, e.mode, e.status, e.model_version]), [
    ["batch_001.csv", "bootstrap", "done", 1],
    ["batch_002.csv", "score", "done", 1],
    ["batch_003.csv", "score", "done", 1],
  ]);
  assert.match(ledger.assets.A.chunks[0].sha256, /^[0-9a-f]{64}$/);
  const scores = await Deno.readTextFile(`${art}/A/scores.csv`);
  assert.equal(scores.trim().split("\n").length, 181);
  assert.ok(await Deno.stat(`${art}/A/state/batch_003.csv.bin`));
  assert.ok(s.manifest && (await Deno.stat(s.manifest)).isFile);
  const done = events.filter((e) => e.type === "chunk-done");
  assert.equal(done.length, 6);
});

Deno.test("replay() with resume skips done chunks and gives the same outputs as one run", async () => {
  const { base, art, dir } = await setup({}, { assets: ["A"], chunks: 4, rows: 50 });
  await replay(base);
  const full = await Deno.readTextFile(`${art}/A/scores.csv`);
  // Simulate an interrupted run: forget the last two chunks.
  const ledger = await readLedger(art);
  ledger.assets.A.chunks = ledger.assets.A.chunks.slice(0, 2);
  await Deno.writeTextFile(`${art}/${LEDGER_FILE}`, JSON.stringify(ledger));
  await Deno.remove(`${art}/A/scores.csv`);
  await Deno.remove(`${art}/A/parts`, { recursive: true });
  const s = await replay({ ...base, resume: true });
  assert.equal(s.assets[0].skipped, 2);
  assert.equal(s.assets[0].done, 2);
  const after = await Deno.readTextFile(`${art}/A/scores.csv`);
  assert.deepEqual(after.split("\n").slice(-101), full.split("\n").slice(-101));
  // All done: nothing runs.
  const again = await replay({ ...base, resume: true });
  assert.equal(again.assets[0].done, 0);
  assert.equal(again.assets[0].skipped, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() with resume re-runs a changed chunk and everything after it, with a warning", async () => {
  const { base, art } = await setup({}, { assets: ["A"], chunks: 4, rows: 40 });
  await replay(base);
  const file = `${base.chunkRoot}/A/batch_002.csv`;
  await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace(/,1\./, ",9."));
  const s = await replay({ ...base, resume: true });
  assert.equal(s.assets[0].skipped, 1);
  assert.equal(s.assets[0].done, 3);
  assert.ok(
    s.warnings.some((w) => /batch_002\.csv changed.*re-running it and the 2 chunk/.test(w)),
  );
  assert.equal((await readLedger(art)).assets.A.chunks.length, 4);
});

Deno.test("replay() with clear-cache deletes the models and bootstraps again", async () => {
  const { base, art } = await setup({}, { assets: ["A"], chunks: 2, rows: 40 });
  await replay(base);
  await replay(base); // reuses v1
  assert.deepEqual(await listVersions(`${art}/A`), [1]);
  const s = await replay({ ...base, clearCache: true });
  assert.deepEqual(await listVersions(`${art}/A`), [1]);
  assert.equal((await readLedger(art)).assets.A.chunks[0].mode, "bootstrap");
  assert.equal(s.assets[0].done, 2);
  assert.match((await readManifest(`${art}/A`, 1)).reason, /bootstrap: no model yet/);
});

Deno.test("replay() retrains when the pipeline signature changes", async () => {
  const { base, art } = await setup({ model: { keep_versions: 5 } }, {
    assets: ["A"],
    chunks: 2,
    rows: 40,
  });
  await replay(base);
  const s = await replay({ ...base, overrides: ["detectors_knob.x=2"] });
  assert.deepEqual(s.assets[0].modelVersions, [2]);
  const m = await readManifest(`${art}/A`, 2);
  assert.match(m.reason, /retrain: pipeline signature changed/);
  assert.equal(m.parent_version, 1);
});

Deno.test("replay() does not retrain when a chunk brings a new sensor, unless retrain_on_new_sensors", async () => {
  const { base, art } = await setup({}, { assets: ["A"], chunks: 2, rows: 40 });
  await writeFleet(`${base.chunkRoot}/extra`, {
    assets: ["A"],
    chunks: 3,
    rows: 40,
    sensors: ["a", "b", "c", "d"],
  });
  await Deno.rename(`${base.chunkRoot}/extra/A/batch_003.csv`, `${base.chunkRoot}/A/batch_003.csv`);
  await Deno.remove(`${base.chunkRoot}/extra`, { recursive: true });
  const s = await replay(base);
  assert.deepEqual(s.assets[0].modelVersions, [1]);
  assert.equal((await readLedger(art)).assets.A.chunks[2].mode, "score");
  const told = await replay({
    ...base,
    clearCache: true,
    overrides: ["model.retrain_on_new_sensors=true"],
  });
  assert.deepEqual(told.assets[0].modelVersions, [1, 2]);
  const entries = (await readLedger(art)).assets.A.chunks;
  assert.equal(entries[2].mode, "bootstrap");
  assert.match(entries[2].retrain_reason!, /new sensors "d" \(retrain_on_new_sensors\)/);
});

Deno.test("replay() retrains every N chunks with model.refit_every_chunks", async () => {
  const { base, art } = await setup({ model: { refit_every_chunks: 2 } }, {
    assets: ["A"],
    chunks: 5,
    rows: 30,
  });
  await replay(base);
  const modes = (await readLedger(art)).assets.A.chunks.map((e) => e.mode);
  assert.deepEqual(modes, ["bootstrap", "score", "bootstrap", "score", "bootstrap"]);
});

Deno.test("replay() saves a new version per chunk with model.incremental and prunes to keep_versions", async () => {
  const { base, art } = await setup({ model: { incremental: true, keep_versions: 2 } }, {
    assets: ["A"],
    chunks: 4,
    rows: 30,
  });
  const s = await replay(base);
  assert.deepEqual(s.assets[0].modelVersions, [1, 2, 3, 4, 5]);
  assert.deepEqual(await listVersions(`${art}/A`), [4, 5]);
  const entries = (await readLedger(art)).assets.A.chunks;
  assert.deepEqual(entries.map((e) => [e.model_version, e.model_version_after]), [[1, 2], [2, 3], [
    3,
    4,
  ], [4, 5]]);
});

Deno.test("replay() dry run plans without writing anything", async () => {
  const { base, art } = await setup();
  const s = await replay({ ...base, dryRun: true });
  assert.equal(await Deno.stat(art).then(() => true, () => false), false);
  assert.deepEqual(s.assets[0].plan!.map((p) => [p.chunk, p.action, p.modelVersion]), [
    ["batch_001.csv", "bootstrap", 1],
    ["batch_002.csv", "score", 1],
    ["batch_003.csv", "score", 1],
  ]);
  assert.equal(s.manifest, null);
});

Deno.test("replay() refuses an unknown --equip name and names the assets that exist", async () => {
  const { base } = await setup();
  await assert.rejects(
    () => replay({ ...base, equip: ["A", "BB"] }),
    /no asset directory for "BB" \(did you mean "B"\?\).*assets found: "A", "B"/,
  );
});

Deno.test("replay() stops on a corrupt ledger before any work, naming the file and the recovery", async () => {
  const { base, art } = await setup();
  await Deno.mkdir(art, { recursive: true });
  await Deno.writeTextFile(
    `${art}/${LEDGER_FILE}`,
    '{"format": "acm-chunk-ledger", "version": 1, "assets": {',
  );
  await assert.rejects(
    () => replay({ ...base, resume: true }),
    (e: Error) =>
      e.name === "LedgerError" && e.message.includes(`${art}/${LEDGER_FILE}`) &&
      /move it aside and re-run with --resume/.test(e.message),
  );
  assert.equal(await Deno.stat(`${art}/A`).then(() => true, () => false), false);
});

Deno.test("replay() isolates a failing chunk to its asset and records the failure", async () => {
  const { base, art } = await setup({ fake: { fail_chunk: "batch_002.csv" } }, {
    assets: ["A"],
    chunks: 3,
    rows: 30,
  });
  await writeFleet(`${base.chunkRoot}`, { assets: ["B"], chunks: 1, rows: 30 });
  await Deno.rename(`${base.chunkRoot}/B/batch_001.csv`, `${base.chunkRoot}/B/other_1.csv`);
  const s = await replay({ ...base, maxWorkers: 2 });
  assert.equal(s.exitCode, 1);
  const [a, b] = s.assets;
  assert.deepEqual([a.status, a.done, a.failed, a.failedChunk], ["failed", 1, 1, "batch_002.csv"]);
  assert.match(a.error!, /fake failure in batch_002\.csv/);
  assert.equal(b.status, "ok");
  const entry = (await readLedger(art)).assets.A.chunks[1];
  assert.deepEqual([entry.file, entry.status], ["batch_002.csv", "failed"]);
});

Deno.test("replay() marks an asset failed when a chunk exceeds --chunk-timeout; others finish", async () => {
  const { base } = await setup({ fake: { hang_chunk: "batch_002.csv" } }, {
    assets: ["A"],
    chunks: 2,
    rows: 20,
  });
  await writeFleet(`${base.chunkRoot}`, { assets: ["Z"], chunks: 1, rows: 20 });
  await Deno.rename(`${base.chunkRoot}/Z/batch_001.csv`, `${base.chunkRoot}/Z/batch_009.csv`);
  const s = await replay({ ...base, chunkTimeoutS: 1, maxWorkers: 2 });
  const [a, z] = s.assets;
  assert.equal(a.status, "failed");
  assert.match(a.error!, /batch_002\.csv did not finish within 1 s/);
  assert.equal(z.status, "ok");
});

Deno.test("replay() sends scored chunks to fleet sinks in the main thread", async () => {
  const { base, art } = await setup({ sinks: ["csv", "fleet"] }, {
    assets: ["A", "B"],
    chunks: 2,
    rows: 25,
  });
  await replay({ ...base, maxWorkers: 2 });
  const names = [];
  for await (const e of Deno.readDir(`${art}/fleet`)) names.push(e.name);
  assert.deepEqual(names.sort(), [
    "A__batch_001.csv.txt",
    "A__batch_002.csv.txt",
    "B__batch_001.csv.txt",
    "B__batch_002.csv.txt",
  ]);
  const [rows, , raw] = (await Deno.readTextFile(`${art}/fleet/A__batch_001.csv.txt`)).trim().split(
    ",",
  );
  assert.deepEqual([rows, raw], ["25", "75"]);
});

Deno.test("replay() counts the chunks after a failed one as blocked (chunks = done + skipped + failed + blocked)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_blocked_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 3, rows: 20 });
  const fixtures = new URL("../../fixtures/plugins/", import.meta.url).pathname;
  const pipeline = await writeFakePipeline(dir, {
    plugins: { escape: `${fixtures}escape_read.ts` },
    detectors: [{ id: "esc", plugin: "escape", paths: ["/etc/passwd"] }],
  });
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  const a = s.assets[0];
  assert.equal(a.status, "failed");
  assert.deepEqual([a.chunks, a.done, a.skipped, a.failed, a.blocked], [3, 0, 0, 1, 2]);
  assert.match(summaryText(s), /blocked/);
  assert.match(summaryText(s), /2 later chunk\(s\) not run/);
});

Deno.test("replay() reads sensors.yaml beside an asset's chunks in the sandbox, stores it for the report and warns at a name the data lacks", async () => {
  const { base, art, dir } = await setup({}, { assets: ["A", "B", "C"], chunks: 2, rows: 30 });
  await Deno.writeTextFile(
    `${base.chunkRoot}/A/sensors.yaml`,
    "version: 1\nsensors:\n  a: {unit: °C, limits: {high: 5}}\n  bb: {unit: kPa}\n",
  );
  await Deno.writeTextFile(
    `${base.chunkRoot}/C/sensors.yaml`,
    "version: 1\nsensors:\n  a: {unti: C}\n",
  );
  const s = await replay(base);
  const byAsset = Object.fromEntries(s.assets.map((a) => [a.asset, a]));
  assert.equal(byAsset.A.status, "ok");
  assert.equal(byAsset.B.status, "ok");
  const stored = JSON.parse(await Deno.readTextFile(`${art}/A/sensor_metadata.json`));
  assert.deepEqual(stored.sensors.a, { unit: "°C", limits: { high: 5 } });
  await assert.rejects(() => Deno.stat(`${art}/B/sensor_metadata.json`), Deno.errors.NotFound);
  const warned = s.warnings.filter((w) => w.includes("sensor metadata names"));
  assert.equal(warned.length, 1, s.warnings.join("\n"));
  assert.match(
    warned[0],
    /^A: .*\/A\/sensors\.yaml:4:3: sensor metadata names "bb".*did you mean `b`\?/,
  );
  // An invalid file fails its asset, with the position; the others finish.
  assert.equal(byAsset.C.status, "failed");
  assert.match(byAsset.C.error ?? "", /sensors\.yaml:3:7: error\[unknown-key\] Unknown key "unti"/);
  // The file is gone on the next run: so is the stored copy.
  await Deno.remove(`${base.chunkRoot}/A/sensors.yaml`);
  await replay({ ...base, equip: ["A"], clearCache: true });
  await assert.rejects(() => Deno.stat(`${art}/A/sensor_metadata.json`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() uses the pipeline's sensor_metadata file (relative to the pipeline) over sensors.yaml", async () => {
  const { base, art, dir } = await setup(
    { sensor_metadata: "meta/fleet.yaml" },
    { assets: ["A"], chunks: 1, rows: 30 },
  );
  await Deno.mkdir(`${dir}/meta`);
  await Deno.writeTextFile(`${dir}/meta/fleet.yaml`, "version: 1\nsensors:\n  c: {unit: A}\n");
  await Deno.writeTextFile(
    `${base.chunkRoot}/A/sensors.yaml`,
    "version: 1\nsensors:\n  a: {unit: V}\n",
  );
  const s = await replay(base);
  assert.equal(s.assets[0].status, "ok", s.assets[0].error ?? "");
  const stored = JSON.parse(await Deno.readTextFile(`${art}/A/sensor_metadata.json`));
  assert.deepEqual(stored.sensors, { c: { unit: "A" } });
  await Deno.remove(dir, { recursive: true });
});
