import assert from "node:assert/strict";
import { startOrder } from "../../../core/replay/pool.ts";
import type { AssetJob } from "../../../core/replay/asset_runner.ts";

const jobs = (...names: string[]) => names.map((asset) => ({ asset }) as AssetJob);
const bytes: Record<string, number> = { FAN_B: 9.7, FAN_D: 22, PUMP_A: 6.4, TURBINE_C: 15 };

Deno.test("startOrder() starts the heaviest job first (longest processing time first)", () => {
  const js = jobs("FAN_B", "FAN_D", "PUMP_A", "TURBINE_C");
  assert.deepEqual(startOrder(js, (j) => bytes[j.asset]), [1, 3, 0, 2]);
});

Deno.test("startOrder() keeps job order for equal weights and without a weight", () => {
  const js = jobs("a", "b", "c");
  assert.deepEqual(startOrder(js, () => 1), [0, 1, 2]);
  assert.deepEqual(startOrder(js), [0, 1, 2]);
  assert.deepEqual(startOrder(js, (j) => (j.asset === "c" ? 2 : 1)), [2, 0, 1]);
});
