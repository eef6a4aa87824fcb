import assert from "node:assert/strict";
import command from "../../cli/demo.ts";
import { captureConsole } from "../_helpers/console.ts";

/** Runs the command with console output captured. */
const run = (args: string[]) => captureConsole(() => command.run(args));

Deno.test("acm demo --help prints the usage and exits 0", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /--max-workers N/);
  assert.equal(command.name, "demo");
});

Deno.test("acm demo exits 2 on an unknown flag or a bad --max-workers", async () => {
  assert.equal((await run(["--bogus"])).code, 2);
  const bad = await run(["--max-workers", "0"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--max-workers "0" must be an integer ≥ 1/);
});

Deno.test("acm demo exits 1 and names the folder when --out holds someone else's files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/notes.txt`, "x");
    const r = await run(["--out", dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /is not empty and was not made by acm demo/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acm demo --pipeline names a file it cannot read, before writing anything", async () => {
  assert.match((await run(["--help"])).out, /--pipeline FILE/);
  const dir = await Deno.makeTempDir();
  try {
    const r = await run(["--out", `${dir}/demo`, "--pipeline", `${dir}/missing.yaml`]);
    assert.equal(r.code, 1);
    assert.match(r.out + r.err, /missing\.yaml/);
    assert.match(r.out + r.err, /Cannot read pipeline file/);
    assert.equal(
      await Deno.stat(`${dir}/demo`).then(() => true, () => false),
      false,
      "nothing written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
