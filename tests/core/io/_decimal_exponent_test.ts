import assert from "node:assert/strict";
import { decimalExponent } from "../../../core/io/_decimal_exponent.ts";
import { createRng } from "../../../core/rng.ts";

/** ⌊log10 a⌋ from the exact decimal expansion (21 digits cannot round a double up to 10^k). */
const reference = (a: number) => Number(a.toExponential(20).split("e")[1]);

function neighbours(x: number): number[] {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  return [-2n, -1n, 1n, 2n].map((d) => new Float64Array(new BigInt64Array([b[0] + d]).buffer)[0]);
}

Deno.test("decimalExponent() is exact at and next to every power of ten from 1e-8 to 1e21", () => {
  for (let k = -8; k <= 21; k++) {
    const p = Number(`1e${k}`);
    for (const a of [p, ...neighbours(p)]) {
      if (a >= 1e-8 && a < 1e22) assert.equal(decimalExponent(a), reference(a), `${a}`);
    }
  }
});

Deno.test("decimalExponent() equals the exponent of the exact decimal on random doubles", () => {
  const rng = createRng(11);
  for (let i = 0; i < 200_000; i++) {
    const a = (rng.next() + 1e-3) * 10 ** (rng.int(30) - 8);
    if (a >= 1e-8 && a < 1e22) assert.equal(decimalExponent(a), reference(a), `${a}`);
  }
  // every binade in the range, at its ends
  for (let b = -27; b <= 72; b++) {
    for (const a of [2 ** b, 2 ** (b + 1) * (1 - 2 ** -53)]) {
      if (a >= 1e-8 && a < 1e22) assert.equal(decimalExponent(a), reference(a), `2^${b}`);
    }
  }
});
