import assert from "node:assert/strict";
import { StageClock } from "../../../core/replay/stage_clock.ts";

Deno.test("StageClock.lap() adds the time since the previous lap to the named stage", async () => {
  const c = new StageClock();
  await new Promise((r) => setTimeout(r, 20));
  c.lap("a");
  c.lap("b");
  await new Promise((r) => setTimeout(r, 20));
  c.lap("a");
  assert.ok(c.seconds.a >= 0.035, String(c.seconds.a));
  assert.ok(c.seconds.b < 0.015, String(c.seconds.b));
  assert.deepEqual(Object.keys(c.seconds), ["a", "b"]);
});

Deno.test("StageClock.detail() copies an engine timer's CPU stages under a prefix, minus a snapshot", () => {
  const c = new StageClock();
  c.detail("score", { "score:x": 1.5, regimes: 0.25, fusion: 0.1 }, { "score:x": 1, fusion: 0.1 });
  assert.deepEqual(c.cpu, { "score/score:x": 0.5, "score/regimes": 0.25 });
  c.detail("score", { "score:x": 2 }, { "score:x": 1.5 });
  assert.equal(c.cpu["score/score:x"], 1);
  assert.deepEqual(c.seconds, {});
});

Deno.test("StageClock.lap() records the process CPU of the lap next to its wall time", () => {
  const c = new StageClock();
  let x = 0;
  for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);
  c.lap("busy");
  assert.ok(x > 0 && c.cpu.busy > 0.005, String(c.cpu.busy));
  const other = new StageClock();
  other.lap("busy");
  c.add(other);
  assert.ok(c.seconds.busy >= other.seconds.busy);
});
