import assert from "node:assert/strict";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { explorerData } from "../../../core/report/explorer.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

Deno.test("explorerData() spans the first to the last row and keeps every sensor aligned", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/A`);
    const o = await readAssetOutputs(`${dir}/A`);
    const d = explorerData(o);
    assert.equal(d.t[0], o.t[0] / 1000);
    assert.equal(d.t[d.t.length - 1], o.t[o.t.length - 1] / 1000);
    for (const [name, s] of Object.entries(d.sensors)) {
      assert.equal(s.actual.length, d.t.length, name);
      assert.equal(s.expected.length, d.t.length, name);
    }
  } finally {
    await cleanup();
  }
});

Deno.test("explorerData() keeps at most ~2 points per bucket plus gap markers on long series", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/A`, 3000);
    const o = await readAssetOutputs(`${dir}/A`);
    const d = explorerData(o);
    assert.ok(
      o.t.length > 3000 && d.t.length <= 3000 + 10,
      `${o.t.length} rows → ${d.t.length} points`,
    );
    for (let i = 1; i < d.t.length; i++) assert.ok(d.t[i] > d.t[i - 1], "time strictly increasing");
  } finally {
    await cleanup();
  }
});
