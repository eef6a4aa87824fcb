import assert from "node:assert/strict";
import evalCommand from "../../cli/eval.ts";
import { captureConsole } from "../_helpers/console.ts";

const run = (args: string[]) => captureConsole(() => evalCommand.run(args));

Deno.test("acm eval fleet rejects bad seeds, grace and workers with exit 2, and prints its help", async () => {
  const seeds = await run(["fleet", "--seeds", "1,x"]);
  assert.equal(seeds.code, 2);
  assert.match(seeds.err, /--seeds "1,x" must be comma-separated non-negative integers/);
  const grace = await run(["fleet", "--grace-h=-1"]);
  assert.equal(grace.code, 2);
  assert.match(grace.err, /--grace-h "-1" must be a number ≥ 0/);
  const workers = await run(["fleet", "--max-workers", "0"]);
  assert.equal(workers.code, 2);
  const extra = await run(["fleet", "stray"]);
  assert.equal(extra.code, 2);
  const help = await run(["fleet", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /Seeds 1, 2, 3 are for tuning; report on the held-out seeds 101/);
  const top = await run(["--help"]);
  assert.match(top.out, /acm eval fleet/);
});

Deno.test("acm eval fleet fails with exit 1 on a pipeline that does not load", async () => {
  const r = await run(["fleet", "--pipeline", "/nonexistent/p.yaml", "--seeds", "1"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /nonexistent/);
});
