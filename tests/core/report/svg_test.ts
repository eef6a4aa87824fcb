import assert from "node:assert/strict";
import { px } from "../../../core/report/svg.ts";

Deno.test("px() writes what String(Math.round(v * 100) / 100) writes", () => {
  const ref = (v: number) => String(Math.round(v * 100) / 100);
  const fixed = [0, -0, 0.004, -0.004, 0.005, -0.005, -0.006, 1.005, 12.345, -12.345, 99.995];
  fixed.push(1e12 + 0.37, 9.99e12, 1e13 + 0.01, 5e14, 1e16, -1e16, NaN, Infinity, -Infinity);
  for (const v of fixed) assert.equal(px(v), ref(v), String(v));
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 200_000; i++) {
    const v = (rnd() - 0.5) * 10 ** (Math.floor(rnd() * 30) - 12);
    assert.equal(px(v), ref(v), String(v));
    const w = Math.round(rnd() * 1e6) / 100 + (rnd() - 0.5) * 1e-9;
    assert.equal(px(w), ref(w), String(w));
  }
});
