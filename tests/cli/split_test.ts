import assert from "node:assert/strict";
import command from "../../cli/split.ts";
import { captureConsole } from "../_helpers/console.ts";

const DATA = "/work/shared/acm_data";

/** Runs the command with console output captured. */
const run = (args: string[]) => captureConsole(() => command.run(args));

Deno.test("acm split --help prints the usage and exits 0", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /--chunk-days D/);
  assert.equal(command.name, "split");
});

Deno.test("acm split exits 2 on an unknown flag, a missing rule or two rules", async () => {
  assert.equal((await run(["--bogus"])).code, 2);
  assert.equal((await run(["--input", "x.csv", "--output", "o"])).code, 2);
  const two = await run([
    "--input",
    "x.csv",
    "--output",
    "o",
    "--chunk-days",
    "7",
    "--chunk-rows",
    "9",
  ]);
  assert.equal(two.code, 2);
  assert.match(two.err, /exactly one of --chunk-days, --chunk-rows, --chunks/);
  assert.equal((await run(["--input", "x.csv", "--output", "o", "--chunk-days", "week"])).code, 2);
});

Deno.test("acm split writes the chunks, prints the table and exits 0; 1 on an unreadable input", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/FD_FAN`;
    const r = await run([
      "--input",
      `${DATA}/FD_FAN_BATCH_DATA.csv`,
      "--chunk-days",
      "30",
      "--first-chunk-days",
      "60",
      "--output",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /chunk\s+rows\s+start\s+end/);
    assert.match(r.out, /batch_001\.csv\s+2876\s+2012-12-31T18:00:00\s+2013-03-01T17:30:00/);
    assert.match(r.out, /6741 rows \(6741 read, 0 duplicate\(s\) dropped\), 9 sensor\(s\)/);
    assert.ok((await Deno.stat(`${out}/batch_004.csv`)).isFile);
    const again = await run([
      "--input",
      `${DATA}/FD_FAN_BATCH_DATA.csv`,
      "--chunk-rows",
      "5000",
      "--output",
      out,
    ]);
    assert.equal(again.code, 1);
    assert.match(again.err, /not empty/);
    const forced = await run([
      "--input",
      `${DATA}/FD_FAN_BATCH_DATA.csv`,
      "--chunk-rows",
      "5000",
      "--output",
      out,
      "--force",
    ]);
    assert.equal(forced.code, 0, forced.err);
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name).sort(), [
      "batch_001.csv",
      "batch_002.csv",
    ]);
    const missing = await run([
      "--input",
      `${dir}/nope.csv`,
      "--chunk-rows",
      "10",
      "--output",
      `${dir}/x`,
    ]);
    assert.equal(missing.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acm split warns when the first chunk is below the guide's minimum", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([
      "--input",
      `${DATA}/FD_FAN_BATCH_DATA.csv`,
      "--chunk-rows",
      "300",
      "--output",
      dir,
    ]);
    assert.equal(r.code, 0);
    assert.match(r.err, /warning: first chunk batch_001\.csv has 300 rows/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
