import assert from "node:assert/strict";
import { writeScaled } from "../../../core/io/_scaled_text.ts";
import { createRng } from "../../../core/rng.ts";

const decoder = new TextDecoder();

/** m·10^-s in fixed notation from string operations, trailing zeros and a bare point dropped. */
function reference(negative: number, m: number, e: number, digits: number): string {
  const s = digits - 1 - e;
  const all = String(m).padStart(s + 1, "0");
  const int = all.slice(0, all.length - s), frac = all.slice(all.length - s).replace(/0+$/, "");
  return (negative ? "-" : "") + int + (frac ? `.${frac}` : "");
}

Deno.test("writeScaled() writes m·10^-s as string arithmetic does, for every digits and exponent", () => {
  const rng = createRng(4);
  const buf = new Uint8Array(64);
  for (let i = 0; i < 100_000; i++) {
    const digits = 1 + rng.int(9);
    const e = rng.int(digits + 6) - 6;
    const low = 10 ** (digits - 1);
    // trailing zeros are common in short decimals: keep some
    let m = low + rng.int(9 * low);
    if (rng.next() < 0.3) m -= m % 10 ** rng.int(digits);
    if (m < low) m = low;
    const negative = rng.int(2);
    const at = rng.int(8);
    buf.fill(33);
    const end = writeScaled(buf, at, negative, m, e, digits);
    assert.equal(decoder.decode(buf.subarray(at, end)), reference(negative, m, e, digits));
    assert.ok(buf.subarray(0, at).every((b) => b === 33), "nothing written before pos");
  }
});
