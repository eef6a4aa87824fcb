import assert from "node:assert/strict";
import {
  acquireRootLock,
  hostName,
  LOCK_FILE,
  RootLockedError,
} from "../../../core/replay/lock.ts";
import { replay } from "../../../core/replay/replay.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

Deno.test("acquireRootLock() refuses a second holder and names pid, host and start time", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_lock_" });
  const first = await acquireRootLock(dir);
  await assert.rejects(() => acquireRootLock(dir), (e: Error) => {
    assert.ok(e instanceof RootLockedError);
    assert.match(e.message, new RegExp(`pid ${Deno.pid} on host .* \\(started \\d{4}-`));
    assert.ok(e.message.includes(`${dir}/${LOCK_FILE}`), e.message);
    return true;
  });
  await first.release();
  const again = await acquireRootLock(dir);
  assert.equal(again.staleNote, null);
  await again.release();
});

Deno.test("acquireRootLock() takes over a stale lock whose holder is not running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_lock_" });
  const holder = { pid: 2 ** 30, host: hostName(), started: "2026-01-01T00:00:00Z", command: "x" };
  await Deno.writeTextFile(`${dir}/${LOCK_FILE}`, JSON.stringify(holder));
  const lock = await acquireRootLock(dir);
  assert.match(lock.staleNote!, /stale lock .* is not running/);
  const now = JSON.parse(await Deno.readTextFile(`${dir}/${LOCK_FILE}`));
  assert.equal(now.pid, Deno.pid);
  await lock.release();
});

Deno.test("acquireRootLock() keeps a lock held on another host (it cannot tell whether that run lives)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_lock_" });
  const holder = { pid: 2 ** 30, host: "elsewhere", started: "2026-01-01T00:00:00Z", command: "x" };
  await Deno.writeTextFile(`${dir}/${LOCK_FILE}`, JSON.stringify(holder));
  await assert.rejects(() => acquireRootLock(dir), /pid 1073741824 on host elsewhere/);
});

Deno.test("replay() on a locked artifact root is refused, --clear-cache too, and nothing is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_lock_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 2, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {});
  await Deno.mkdir(`${dir}/art`);
  const held = await acquireRootLock(`${dir}/art`);
  for (const clearCache of [false, true]) {
    await assert.rejects(
      () =>
        replay({
          pipeline,
          chunkRoot: `${dir}/chunks`,
          artifactRoot: `${dir}/art`,
          hostModules: [FAKE_HOST],
          clearCache,
        }),
      RootLockedError,
    );
  }
  const entries = [...Deno.readDirSync(`${dir}/art`)].map((e) => e.name);
  assert.deepEqual(entries, [LOCK_FILE]);
  await held.release();
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  assert.equal(s.exitCode, 0);
  assert.equal(await Deno.stat(`${dir}/art/${LOCK_FILE}`).then(() => true, () => false), false);
});
