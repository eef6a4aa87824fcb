import assert from "node:assert/strict";
import { packageDir, pinnedVersion, vendorModule } from "../../../tools/vendor_uplot.ts";

Deno.test("core/report/vendor/uplot_dist.ts matches the uplot version pinned in deno.json", async (t) => {
  const version = await pinnedVersion();
  const current = await Deno.readTextFile(
    new URL("../../../core/report/vendor/uplot_dist.ts", import.meta.url),
  );
  assert.match(current, new RegExp(`from npm:uplot@${version.replaceAll(".", "\\.")} `));
  assert.match(current, /The MIT License/);
  const dir = await packageDir(version);
  try {
    await Deno.stat(`${dir}/dist/uPlot.iife.min.js`);
  } catch {
    await t.step({
      name: `skipped: uplot ${version} is not in the npm cache (deno install)`,
      ignore: true,
      fn() {},
    });
    return;
  }
  assert.equal(current, await vendorModule(version, dir), "run: deno run -A tools/vendor_uplot.ts");
});
