import assert from "node:assert/strict";
import { MAX_NUMBER_BYTES, writeNumber, writeTimestamp } from "../../../core/io/number_format.ts";
import { formatTimestamp } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";

const decoder = new TextDecoder();
const buf = new Uint8Array(64);
const num = (x: number) => decoder.decode(buf.subarray(0, writeNumber(buf, 0, x)));
const ts = (ms: number) => decoder.decode(buf.subarray(0, writeTimestamp(buf, 0, ms)));

Deno.test("writeNumber() writes exactly String(x) for edge values and NaN as nothing", () => {
  const edge = [
    0,
    -0,
    1,
    -1,
    0.1,
    0.2,
    0.3,
    1e-6,
    1e-7,
    9.999999e-7,
    0.000001234,
    123456789012.5,
    999999999999999.9,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 50 - 0.5,
    1e15 + 0.125,
    5e-324,
    Number.MAX_VALUE,
    1e21,
    -1.5e-300,
    Infinity,
    -Infinity,
    0.1 + 0.2,
  ];
  for (const x of edge) {
    const text = num(x);
    assert.equal(text, String(x), `x = ${x}`);
    assert.ok(text.length <= MAX_NUMBER_BYTES);
  }
  assert.equal(num(NaN), "");
});

Deno.test("writeNumber() matches String(x) on 200,000 random sensor-like and full-precision values", () => {
  const rng = createRng(5);
  for (let i = 0; i < 200_000; i++) {
    let x: number;
    switch (i % 5) {
      case 0: // historian values with a few decimals
        x = Math.round((rng.next() - 0.5) * 1e6) / 10 ** (i % 7);
        break;
      case 1: // z-scores and the like: 17 significant digits
        x = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 4);
        break;
      case 2: // any magnitude
        x = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 60 - 30);
        break;
      case 3: // large integers, some beyond 2^53
        x = Math.round((rng.next() - 0.5) * 2 ** Math.floor(rng.next() * 64));
        break;
      default: // coarse binary fractions near 1e15 (few ulps per decimal step)
        x = 1e15 + Math.floor(rng.next() * 100) * 0.125;
    }
    const got = num(x);
    if (got !== String(x)) assert.fail(`writeNumber(${x}) wrote "${got}", String gives "${x}"`);
  }
});

Deno.test("writeNumber() round-trips like Number.prototype.toString on random bit patterns, 16–17-digit values and neighbours of powers of ten", () => {
  const rng = createRng(23);
  const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
  const check = (x: number) => {
    const got = num(x), want = Number.isNaN(x) ? "" : x.toString();
    if (got !== want) assert.fail(`writeNumber(${want}) wrote "${got}"`);
    if (got !== "" && Number(got) !== x && !(x === 0 && Number(got) === 0)) {
      assert.fail(`"${got}" does not read back as ${want}`);
    }
  };
  for (let i = 0; i < 150_000; i++) {
    u32[0] = Math.floor(rng.next() * 2 ** 32);
    u32[1] = Math.floor(rng.next() * 2 ** 32);
    check(f64[0]); // any double: subnormals, huge, NaN payloads
    check((rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 24 - 7)); // 1e-7 … 1e16
    const digits = 1 + Math.floor(rng.next() * 17); // decimals of every length
    check(Number((rng.next() * 10).toPrecision(digits)) * 10 ** Math.floor(rng.next() * 22 - 6));
  }
  for (let k = -8; k < 23; k++) {
    const x = 10 ** k;
    for (let d = -6; d <= 6; d++) {
      check(x + d * x * 2 ** -52);
      check(-(x + d * x * 2 ** -53));
    }
    check(9.999999999999999 * x);
    check(0.9999999999999999 * x);
  }
  for (const x of [2 ** -1074, 2 ** -1022, 2 ** -1022 - 2 ** -1074, 2 ** 53 - 0.5, 2 ** 52 + 0.5]) {
    check(x);
  }
  for (const x of [1e-7, 1e21, 1e-6, 0.1 + 0.7, 1 / 3, 2 / 3, Math.PI, Math.E, -0, NaN]) check(x);
});

Deno.test("writeTimestamp() writes exactly formatTimestamp(ms), milliseconds included", () => {
  const rng = createRng(9);
  const cases = [0, -1, 86_399_999, Date.parse("2024-02-29T23:59:59.5Z"), 951_782_400_000];
  cases.push(Date.parse("0000-01-01T00:00:00Z"), Date.parse("9999-12-31T23:59:59.999Z"));
  cases.push(Date.parse("+010000-01-01T00:00:00Z"), 1.5, NaN);
  for (let i = 0; i < 50_000; i++) cases.push(Math.floor((rng.next() - 0.3) * 3e14));
  for (const ms of cases) {
    const got = ts(ms);
    if (got !== formatTimestamp(ms)) {
      assert.fail(
        `writeTimestamp(${ms}) wrote "${got}", formatTimestamp gives "${formatTimestamp(ms)}"`,
      );
    }
  }
});
