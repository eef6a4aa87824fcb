import assert from "node:assert/strict";
import { acquireRootLock, LOCK_FILE, RootLockedError } from "../../../core/replay/lock.ts";
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

Deno.test("acquireRootLock() takes over the lock of a process killed with SIGKILL, naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_lock_" });
  const lockUrl = new URL("../../../core/replay/lock.ts", import.meta.url).href;
  const code = `const { acquireRootLock } = await import(${JSON.stringify(lockUrl)});
    await acquireRootLock(${
    JSON.stringify(dir)
  }); console.log("held"); setInterval(() => {}, 1000);`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /held/);
  await assert.rejects(() => acquireRootLock(dir), new RegExp(`pid ${child.pid} on host`));
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel();
  const lock = await acquireRootLock(dir);
  assert.match(lock.staleNote!, new RegExp(`lock of pid ${child.pid} .* ended without releasing`));
  const now = JSON.parse(await Deno.readTextFile(`${dir}/${LOCK_FILE}`));
  assert.equal(now.pid, Deno.pid);
  await lock.release();
  assert.equal(await Deno.readTextFile(`${dir}/${LOCK_FILE}`), "", "a released lock is empty");
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
  assert.deepEqual(entries, [LOCK_FILE], "nothing but the lock file was written");
  await held.release();
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  assert.equal(s.exitCode, 0);
  assert.equal(await Deno.readTextFile(`${dir}/art/${LOCK_FILE}`), "", "released after the run");
});
