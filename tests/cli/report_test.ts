import assert from "node:assert/strict";
import command from "../../cli/report.ts";
import { captureConsole } from "../_helpers/console.ts";
import { tempDir, writeFakeAsset } from "../_helpers/scored_chunk.ts";

/** Runs the command with console output captured. */
const run = (args: string[]) => captureConsole(() => command.run(args));

Deno.test("acm report rebuilds every report and prints the fleet index path", async () => {
  const [root, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${root}/FD_FAN`, 100);
    await writeFakeAsset(`${root}/GAS_TURBINE`, 100);
    const r = await run(["--artifact-root", root]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${root}/index.html`);
    for (const a of ["FD_FAN", "GAS_TURBINE"]) await Deno.stat(`${root}/${a}/report.html`);
    await Deno.remove(`${root}/GAS_TURBINE/report.html`);
    const only = await run(["--artifact-root", root, "--equip", "FD_FAN"]);
    assert.equal(only.code, 0);
    await assert.rejects(() => Deno.stat(`${root}/GAS_TURBINE/report.html`));
    assert.match(await Deno.readTextFile(`${root}/index.html`), /GAS_TURBINE/); // index lists all
  } finally {
    await cleanup();
  }
});

Deno.test("acm report: --help is 0, an unknown flag is 2, an unknown asset is 1 naming what exists", async () => {
  assert.equal((await run(["--help"])).code, 0);
  const bad = await run(["--bogus"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown option --bogus/);
  const [root, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${root}/FD_FAN`, 60);
    const r = await run(["--artifact-root", root, "--equip", "FD_FAM"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no stored outputs for "FD_FAM"[\s\S]*FD_FAN/);
    assert.equal((await run(["--artifact-root", `${root}/missing`])).code, 1);
  } finally {
    await cleanup();
  }
});
