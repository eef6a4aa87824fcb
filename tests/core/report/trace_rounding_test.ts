import assert from "node:assert/strict";
import { roundTrace } from "../../../core/report/trace_rounding.ts";
import { roundSignificant } from "../../../core/io/round_significant.ts";

Deno.test("roundTrace() gives roundSignificant()'s double for every kind of value", () => {
  let s = 12345;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const check = (x: number, digits: number) => {
    const want = roundSignificant(x, digits), got = roundTrace(x, digits);
    assert.ok(Object.is(got, want), `${x} at ${digits} digits: ${got} vs ${want}`);
  };
  for (const x of [0, -0, NaN, Infinity, -Infinity, 1, -3, 1e-7, 5e-324, 1.7e308, 2 ** 53, 0.5]) {
    for (let digits = 0; digits <= 17; digits++) check(x, digits);
  }
  for (let i = 0; i < 300_000; i++) {
    const digits = 1 + Math.floor(rnd() * 16);
    const x = (rnd() - 0.5) * 10 ** (Math.floor(rnd() * 24) - 9);
    check(x, digits);
    // near ties: a half-way decimal and its neighbour doubles
    const e = Math.floor(rnd() * 10) - 4, m = Math.floor(rnd() * 10 ** Math.min(digits, 9));
    const half = (m + 0.5) * 10 ** (e - digits);
    for (const y of [half, nextUp(half), nextDown(half)]) check(y, digits);
  }
});

function nextUp(x: number): number {
  const b = new Float64Array([x]), u = new BigInt64Array(b.buffer);
  u[0] += x >= 0 ? 1n : -1n;
  return b[0];
}

function nextDown(x: number): number {
  const b = new Float64Array([x]), u = new BigInt64Array(b.buffer);
  u[0] -= x > 0 ? 1n : -1n;
  return b[0];
}
