import { ok, strictEqual } from "node:assert/strict";
import { healthOf, healthZone } from "../../../core/health/health_index.ts";

const opts = { center_z: 4, width_z: 1, watch_below: 80, alert_below: 50 };

Deno.test("healthOf() is 100 at z ≤ 0 and falls smoothly and monotonically", () => {
  strictEqual(healthOf(0, opts), 100);
  strictEqual(healthOf(-3, opts), 100);
  let prev = 100;
  for (let z = 0.1; z < 12; z += 0.1) {
    const h = healthOf(z, opts);
    ok(h < prev && h >= 0, `health falls at z=${z}`);
    prev = h;
  }
  ok(Math.abs(healthOf(4, opts) - 50.9) < 0.1);
});

Deno.test("healthZone() reads GOOD / WATCH / ALERT from the documented cut-offs", () => {
  strictEqual(healthZone(healthOf(2, opts), opts), "GOOD");
  strictEqual(healthZone(healthOf(3, opts), opts), "WATCH");
  strictEqual(healthZone(healthOf(5, opts), opts), "ALERT");
});
