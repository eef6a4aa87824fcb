import assert from "node:assert/strict";
import { roundTrace, roundTraces } from "../../../core/report/trace_rounding.ts";
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

Deno.test("roundTrace() equals Number(x.toPrecision(d)) on random doubles and next to powers of ten", () => {
  let s = 99;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const bits = new Uint32Array(2), asDouble = new Float64Array(bits.buffer);
  const reference = (x: number, d: number) => {
    if (d === 0 || d >= 17 || x === 0 || x !== x) return x;
    const r = Number(x.toPrecision(d));
    return Number.isFinite(r) ? r : x;
  };
  const check = (x: number, d: number) => {
    const got = roundTrace(x, d), want = reference(x, d);
    assert.ok(Object.is(got, want), `${x} at ${d} digits: ${got} vs ${want}`);
  };
  for (let i = 0; i < 100_000; i++) {
    bits[0] = Math.floor(rnd() * 2 ** 32);
    bits[1] = Math.floor(rnd() * 2 ** 32);
    check(asDouble[0], Math.floor(rnd() * 18)); // any bits: subnormal, huge, NaN, ±Infinity
    const d = 1 + Math.floor(rnd() * 16), k = Math.floor(rnd() * 24) - 8;
    // a power of ten, the last d-digit decimal below it (9.999999…) and the halfway point above
    // that (9.9999995…, which rounds up to the power), each with its neighbour doubles
    for (
      const x of [
        Number(`1e${k}`),
        Number(`${"9".repeat(d)}e${k - d}`),
        Number(`${"9".repeat(d)}5e${k - d - 1}`),
      ]
    ) {
      for (const y of [x, nextUp(x), nextDown(x)]) {
        check(y, d);
        check(-y, d);
      }
    }
  }
});

Deno.test("roundTraces() rounds a column slice into place, −0 as +0", () => {
  const src = Float64Array.from([1.23456789, -0, -0.000123456789, 5, NaN, 987654.321]);
  const dst = new Float64Array(8).fill(7);
  roundTraces(src, 1, 5, 4, dst, 2);
  assert.deepEqual([...dst].map(String), ["7", "7", "0", "-0.0001235", "5", "NaN", "987700", "7"]);
  assert.ok(Object.is(dst[2], 0));
});
