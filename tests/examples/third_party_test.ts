/**
 * End to end: third-party plugins from examples/plugins/ used through a
 * pipeline's `plugins` map, replayed inside the permission-scoped workers on a
 * small synthetic fleet. The cusum detector's head reaches scores.csv; the
 * escape detector's read of a file outside the asset's folders is refused.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { generateFleet, writeFleetCsv } from "../../core/synth/fleet.ts";
import { splitFiles } from "../../core/replay/split.ts";
import { replay } from "../../core/replay/replay.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

/** Two assets × 4 days at 10 min, the second half with one injected fault, split into 2 chunks each. */
async function smallFleet(dir: string) {
  const fleet = generateFleet({
    seed: 3,
    assets: 2,
    days: 4,
    cadenceS: 600,
    trainDays: 2,
    faultsPerAsset: 1,
  });
  const files = await writeFleetCsv(fleet, `${dir}/csv`);
  for (const [name, path] of Object.entries(files.csv)) {
    await splitFiles({ inputs: [path], output: `${dir}/chunks/${name}`, chunks: 2 });
  }
  return fleet;
}

function readCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trim().split("\n");
  return { header: head.split(","), rows: lines.map((l) => l.split(",")) };
}

Deno.test("replay() runs the cusum example plugin from the `plugins` map in the workers; cusum_z reaches scores.csv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_third_party_" });
  const fleet = await smallFleet(dir);
  const s = await replay({
    pipeline: `${EXAMPLES}pipelines/with_cusum.yaml`,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    maxWorkers: 2,
  });
  assert.deepEqual(s.assets.map((a) => [a.asset, a.status, a.done, a.error]).sort(), [
    ["FAN_B", "ok", 2, null],
    ["PUMP_A", "ok", 2, null],
  ]);
  for (const asset of fleet.assets) {
    const { header, rows } = readCsv(
      await Deno.readTextFile(`${dir}/art/${asset.name}/scores.csv`),
    );
    const k = header.indexOf("cusum_z");
    assert.ok(k > 0, `cusum_z in ${header.join(",")}`);
    assert.ok(header.includes("ar1_z"));
    assert.equal(rows.length, asset.frame.rows);
    const z = rows.map((r) => Number(r[k]));
    assert.ok(z.every(Number.isFinite), "cusum_z is a number on every row");
    // A CUSUM accumulates a sustained shift: inside the injected fault it stands well above training.
    const t = rows.map((r) => Date.parse(r[0] + "Z"));
    const fault = fleet.faults.find((f) => f.asset === asset.name)!;
    const inFault = z.filter((_, i) => t[i] >= fault.start && t[i] < fault.end);
    const training = z.filter((_, i) => t[i] < fleet.trainEnd);
    assert.ok(inFault.length > 0 && training.length > 0);
    assert.ok(Math.max(...inFault) > Math.max(...training), `${asset.name}: ${fault.kind}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() refuses the escape example plugin's read outside the asset's folders (NotCapable)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_third_party_" });
  await smallFleet(dir);
  const secret = `${dir}/outside/secret.txt`;
  await Deno.mkdir(`${dir}/outside`);
  await Deno.writeTextFile(secret, "not for plugins\n");
  for (const target of [secret, `${dir}/chunks/FAN_B/batch_001.csv`]) {
    const s = await replay({
      pipeline: `${EXAMPLES}pipelines/escape.yaml`,
      overrides: [`detectors.escape.path=${target}`],
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/art`,
      maxWorkers: 2,
      clearCache: true,
    });
    assert.equal(s.exitCode, 1);
    const byName = Object.fromEntries(s.assets.map((a) => [a.asset, a]));
    // PUMP_A may never read FAN_B's chunks nor the secret; FAN_B may read its own chunks.
    const pump = byName.PUMP_A;
    assert.equal(pump.status, "failed", `PUMP_A reading ${target}`);
    assert.match(pump.error!, /NotCapable/);
    assert.ok(pump.error!.includes(target), pump.error!);
    assert.equal(pump.failedChunk, "batch_001.csv");
    assert.equal(pump.done, 0);
    assert.equal(
      await Deno.stat(`${dir}/art/PUMP_A/scores.csv`).then(() => true, () => false),
      false,
    );
    if (target === secret) assert.equal(byName.FAN_B.status, "failed");
    else assert.equal(byName.FAN_B.status, "ok", "an asset's own chunks are readable");
  }
  await Deno.remove(dir, { recursive: true });
});
