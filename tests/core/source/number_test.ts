import assert from "node:assert/strict";
import { isMissingRange, parseNumber, parseNumberRange } from "../../../core/source/number.ts";
import { createRng } from "../../../core/rng.ts";

Deno.test("parseNumber() equals Number() bit for bit on random decimals", () => {
  const rng = createRng(11);
  for (let i = 0; i < 20_000; i++) {
    const scale = 10 ** (rng.int(30) - 15);
    const v = (rng.next() - 0.5) * scale;
    const forms = [
      String(v),
      v.toFixed(rng.int(10)),
      v.toExponential(rng.int(16)),
      v.toPrecision(1 + rng.int(20)),
    ];
    for (const s of forms) assert.ok(Object.is(parseNumber(s), Number(s)), s);
  }
});

Deno.test("parseNumber() reads signs, bare fractions, exponents and padding", () => {
  assert.equal(parseNumber("-0.47"), -0.47);
  assert.equal(parseNumber("+3"), 3);
  assert.equal(parseNumber(".5"), 0.5);
  assert.equal(parseNumber("5."), 5);
  assert.equal(parseNumber("1E3"), 1000);
  assert.equal(parseNumber("2.5e-3"), 0.0025);
  assert.equal(parseNumber(" 42 "), 42);
  assert.equal(parseNumber("306291.625"), 306291.625);
  assert.equal(parseNumber("0.000000000000000000000000123"), 1.23e-25);
  assert.equal(parseNumber("12345678901234567890"), 12345678901234567890);
  assert.ok(Object.is(parseNumber("-0"), -0));
});

Deno.test("parseNumber() gives NaN for text, and isMissingRange() tells missing from text", () => {
  for (const s of ["abc", "1,5", "0x10", "inf", "Infinity", "-", ".", "e5", "1e", "1.2.3", "12a"]) {
    assert.ok(Number.isNaN(parseNumber(s)), s);
    assert.equal(isMissingRange(s, 0, s.length), false, s);
  }
  for (const s of ["", "  ", "NaN", "nan", "NAN", " NaN "]) {
    assert.ok(Number.isNaN(parseNumber(s)), s);
    assert.equal(isMissingRange(s, 0, s.length), true, s);
  }
  assert.equal(isMissingRange("NA", 0, 2), false);
});

Deno.test("parseNumberRange() reads only its range", () => {
  const text = "1.5,22,-3e2";
  assert.equal(parseNumberRange(text, 0, 3), 1.5);
  assert.equal(parseNumberRange(text, 4, 6), 22);
  assert.equal(parseNumberRange(text, 7, 11), -300);
});
