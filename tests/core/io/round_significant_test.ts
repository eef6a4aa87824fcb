import assert from "node:assert/strict";
import {
  checkDigits,
  roundSignificant,
  writeSignificant,
} from "../../../core/io/round_significant.ts";
import { writeNumber } from "../../../core/io/number_format.ts";
import { createRng } from "../../../core/rng.ts";

const decoder = new TextDecoder();
const buf = new Uint8Array(64);
const text = (x: number) => decoder.decode(buf.subarray(0, writeNumber(buf, 0, x)));
/** Significant digits of a decimal text ("-0.001230" → 3). */
const sigDigits = (s: string) => {
  const mant = s.replace(/^-/, "").split("e")[0].replace(".", "").replace(/^0+/, "");
  return mant.replace(/0+$/, "").length;
};

/** The reference: toPrecision (exact decimal, ties away from zero) then a correctly rounded parse. */
const reference = (x: number, d: number) => {
  const r = Number(x.toPrecision(d));
  return Number.isFinite(r) ? r : x; // a finite value is never rounded to Infinity
};

function check(x: number, d: number): void {
  const r = roundSignificant(x, d);
  assert.ok(Object.is(r, reference(x, d)), `roundSignificant(${x}, ${d}) = ${r}`);
  const s = text(r);
  assert.ok(Object.is(Number(s), r === 0 ? 0 : r), `"${s}" reads back as ${r}`);
  const direct = decoder.decode(buf.subarray(0, writeSignificant(buf, 0, x, d)));
  assert.equal(direct, s, `writeSignificant(${x}, ${d}) writes what writeNumber writes of ${r}`);
  if (Number.isFinite(Number(x.toPrecision(d)))) {
    assert.ok(sigDigits(s) <= d, `"${s}" has at most ${d} significant digits`);
  }
}

Deno.test("roundSignificant() keeps 0, -0, NaN, ±Infinity and returns x for 0 or 17 digits", () => {
  for (const d of [0, 1, 7, 17]) {
    assert.ok(Object.is(roundSignificant(0, d), 0));
    assert.ok(Object.is(roundSignificant(-0, d), -0));
    assert.ok(Number.isNaN(roundSignificant(NaN, d)));
    assert.equal(roundSignificant(Infinity, d), Infinity);
    assert.equal(roundSignificant(-Infinity, d), -Infinity);
  }
  for (const x of [Math.PI, -1 / 3, 5e-324, 1.7976931348623157e308]) {
    assert.equal(roundSignificant(x, 0), x);
    assert.equal(roundSignificant(x, 17), x);
  }
  assert.equal(roundSignificant(1.7976931348623157e308, 1), 1.7976931348623157e308); // not Infinity
});

Deno.test("roundSignificant() equals Number(x.toPrecision(d)) on edge values", () => {
  const edge = [
    1 / 3,
    -2 / 3,
    0.1,
    0.30000000000000004,
    1e-6,
    9.9999999999e-7,
    0.001,
    0.01 * (1 + 2 ** -52),
    0.1 - 2 ** -56,
    0.5,
    2.5,
    -2.5,
    9.9999996,
    9999999.5,
    12345678.9,
    12345675,
    -12345665,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    -1e21,
    1.2345678e21,
    1e300,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.23456789e-310,
    1.7976931348623157e308,
    -1.7976931348623157e308,
  ];
  for (const x of edge) for (let d = 1; d <= 16; d++) check(x, d);
});

Deno.test("roundSignificant() equals Number(x.toPrecision(d)) on random values of every magnitude", () => {
  const rng = createRng(3);
  for (let i = 0; i < 20_000; i++) {
    const mag = 10 ** (Math.floor(rng.next() * 40) - 12);
    const x = (rng.next() - 0.5) * 2 * mag;
    check(x, 1 + rng.int(16));
  }
  // exact ties at few digits: k + 0.5 and k·10 + 5
  for (let k = 1; k < 2000; k++) {
    check(k + 0.5, String(k).length);
    check(k * 10 + 5, String(k).length);
    check(-(k * 10 + 5), String(k).length);
  }
});

Deno.test("checkDigits() accepts 0–17 and refuses other values with the allowed range", () => {
  for (let d = 0; d <= 17; d++) checkDigits(d);
  for (const d of [-1, 18, 2.5, NaN]) {
    assert.throws(() => checkDigits(d), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /from 0 \(full precision\) to 17/);
      return true;
    });
  }
});

Deno.test("writeSignificant() writes String(roundSignificant(x, d)) for sensor-like values, NaN as nothing", () => {
  const rng = createRng(5);
  for (let i = 0; i < 50_000; i++) {
    const level = 10 ** (rng.int(8) - 3);
    const x = (rng.next() * 2 - 1) * level * (1 + rng.normal() * 0.01);
    const d = [0, 1, 3, 5, 7, 9, 12, 15, 16, 17][rng.int(10)];
    const r = roundSignificant(x, d);
    const got = decoder.decode(buf.subarray(0, writeSignificant(buf, 0, x, d)));
    assert.equal(got, String(r === 0 ? 0 : r), `writeSignificant(${x}, ${d})`);
  }
  assert.equal(writeSignificant(buf, 3, NaN, 7), 3);
  assert.equal(decoder.decode(buf.subarray(0, writeSignificant(buf, 0, -0, 7))), "0");
});

/** The doubles next to x (|x| > 0, finite). */
function neighbours(x: number): number[] {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  const out: number[] = [];
  for (const d of [-2n, -1n, 1n, 2n]) {
    const g = new BigInt64Array([b[0] + d]);
    out.push(new Float64Array(g.buffer)[0]);
  }
  return out;
}

Deno.test("writeSignificant() is exact next to half-way decimals (1–9 digits, the rounded-product path)", () => {
  const rng = createRng(9);
  for (let i = 0; i < 40_000; i++) {
    const d = 1 + rng.int(9);
    const m = 10 ** (d - 1) + rng.int(9 * 10 ** (d - 1));
    const s = rng.int(d + 6); // |x| from about 1e-6 to 10^d
    const half = (m + 0.5) / 10 ** s;
    if (!(half >= 1e-6 && half < 10 ** d)) continue;
    for (const x of [half, ...neighbours(half)]) {
      check(x, d);
      check(-x, d);
    }
  }
});

Deno.test("writeSignificant() writes String(roundSignificant(x, 7)) on 200k model-like values", () => {
  const rng = createRng(21);
  for (let i = 0; i < 200_000; i++) {
    const level = 10 ** (rng.int(12) - 6);
    const x = (rng.next() * 2 - 1) * level * (1 + rng.normal());
    const r = roundSignificant(x, 7);
    const got = decoder.decode(buf.subarray(0, writeSignificant(buf, 0, x, 7)));
    assert.equal(got, String(r === 0 ? 0 : r), `writeSignificant(${x}, 7)`);
  }
});

/** A double from 64 random bits: every class of value (subnormal, huge, NaN, ±Infinity, ±0). */
function randomBits(rng: ReturnType<typeof createRng>): number {
  const u = new Uint32Array(2);
  u[0] = rng.int(2 ** 32);
  u[1] = rng.int(2 ** 32);
  return new Float64Array(u.buffer)[0];
}

/** The values a fast path could get wrong: around powers of ten and around carries to them. */
function edgeValues(rng: ReturnType<typeof createRng>, d: number): number[] {
  const k = rng.int(30) - 10; // 10^-10 … 10^19
  const p = Number(`1e${k}`);
  // 9.9999995-like: the last decimal of d digits below 10^k, and halfway to 10^k
  const below = Number(`${"9".repeat(d)}e${k - d}`);
  const carry = Number(`${"9".repeat(d)}5e${k - d - 1}`);
  return [p, below, carry, ...neighbours(p), ...neighbours(below), ...neighbours(carry)];
}

Deno.test("writeSignificant() and roundSignificant() match toPrecision on random doubles of every kind", () => {
  const rng = createRng(77);
  /** String(roundSignificant(x, d)) as the reference gives it ("" for NaN, "0" for −0). */
  const want = (x: number, d: number) => {
    if (x !== x) return "";
    const r = d === 0 || d === 17 || x === 0 ? x : reference(x, d);
    return r === 0 ? "0" : String(r);
  };
  const write = (x: number, d: number) =>
    decoder.decode(buf.subarray(0, writeSignificant(buf, 0, x, d)));
  const values: number[] = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2 ** -1022, 1e-6];
  for (let i = 0; i < 20_000; i++) values.push(randomBits(rng));
  for (let i = 0; i < 60_000; i++) {
    // sensor- and model-like magnitudes, both signs, full precision
    const x = (rng.next() - 0.5) * 10 ** (rng.int(16) - 8);
    values.push(x);
  }
  for (let i = 0; i < 5_000; i++) {
    const d = 1 + rng.int(16);
    for (const x of edgeValues(rng, d)) values.push(x, -x);
  }
  for (const x of values) {
    for (const d of [1 + rng.int(9), 7, rng.int(18)]) {
      const r = roundSignificant(x, d);
      const ref = d === 0 || d === 17 || x === 0 ? x : reference(x, d); // ±0 is kept
      assert.ok(Object.is(r, ref) || (r !== r && ref !== ref), `roundSignificant(${x}, ${d})`);
      assert.equal(write(x, d), want(x, d), `writeSignificant(${x}, ${d})`);
    }
  }
});
