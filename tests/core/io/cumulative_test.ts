import assert from "node:assert/strict";
import { appendPart, rewriteCumulative } from "../../../core/io/cumulative.ts";

const part = (n: number) => `t,v\n${n},${n * 10}\n`;

async function setup(): Promise<{ dir: string; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: "acm_cumulative_" });
  const file = `${dir}/scores.csv`;
  await rewriteCumulative(dir, file, ["c1"], part(1));
  return { dir, file };
}

Deno.test("appendPart() appends the body of the next chunk in order and records it", async () => {
  const { dir, file } = await setup();
  try {
    // t,v\n1,10\n is 9 bytes; each appended body "n,n0\n" 5, with its header left out.
    assert.deepEqual(await appendPart(dir, file, ["c1", "c2"], "c2", part(2)), {
      offset: 9,
      length: 5,
      header: "t,v",
    });
    assert.deepEqual(await appendPart(dir, file, ["c1", "c2", "c3"], "c3", part(3)), {
      offset: 14,
      length: 5,
      header: "t,v",
    });
    assert.equal(await Deno.readTextFile(file), "t,v\n1,10\n2,20\n3,30\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendPart() declines, touching nothing, whenever appending would not give the merge", async () => {
  const { dir, file } = await setup();
  try {
    const before = await Deno.readTextFile(file);
    // not the last chunk in time, a re-run of a recorded chunk, another header
    assert.equal(await appendPart(dir, file, ["c0", "c1"], "c0", part(0)), null);
    assert.equal(await appendPart(dir, file, ["c1"], "c1", part(1)), null);
    assert.equal(await appendPart(dir, file, ["c1", "c2"], "c2", "t,v,w\n2,20,0\n"), null);
    // the file no longer has the recorded length (a torn or unrecorded append)
    await Deno.writeTextFile(file, "9,9", { append: true });
    assert.equal(await appendPart(dir, file, ["c1", "c2"], "c2", part(2)), null);
    assert.equal(await Deno.readTextFile(file), before + "9,9");
    // no state at all
    await Deno.remove(`${dir}/scores.csv.cumulative.json`);
    assert.equal(await appendPart(dir, file, ["c1", "c2"], "c2", part(2)), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendPart() without header lines (JSON Lines) appends the whole part", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cumulative_" });
  try {
    const file = `${dir}/scores.jsonl`, jsonl = { headerLine: false };
    await rewriteCumulative(dir, file, ["c1"], '{"a":1}\n', jsonl);
    assert.ok(await appendPart(dir, file, ["c1", "c2"], "c2", '{"a":2}\n', jsonl));
    assert.equal(await Deno.readTextFile(file), '{"a":1}\n{"a":2}\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
