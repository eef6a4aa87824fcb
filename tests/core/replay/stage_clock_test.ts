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

Deno.test("StageClock.detail() copies an engine timer's stages under a prefix, minus a snapshot", () => {
  const c = new StageClock();
  c.detail("score", { "score:x": 1.5, regimes: 0.25, fusion: 0.1 }, { "score:x": 1, fusion: 0.1 });
  assert.deepEqual(c.seconds, { "score/score:x": 0.5, "score/regimes": 0.25 });
  c.detail("score", { "score:x": 2 }, { "score:x": 1.5 });
  assert.equal(c.seconds["score/score:x"], 1);
});
