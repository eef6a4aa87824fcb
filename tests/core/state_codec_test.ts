import assert from "node:assert/strict";
import { decodeState, encodeState } from "../../core/state_codec.ts";
import type { StateValue } from "../../core/plugin.ts";
import { createRng, type Rng } from "../../core/rng.ts";

/** Bytes of a float64 as hex, so NaN payloads and -0 compare exactly. */
function bits(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16);
}

/** Deep equality that distinguishes typed-array kinds, -0 and NaN payloads. */
function assertBitEqual(a: StateValue, b: StateValue, path = ""): void {
  if (typeof a === "number") {
    assert.equal(typeof b, "number", path);
    assert.equal(bits(a), bits(b as number), `number at ${path}`);
    return;
  }
  if (a instanceof Float64Array || a instanceof Int32Array || a instanceof Uint8Array) {
    assert.equal(Object.getPrototypeOf(b), Object.getPrototypeOf(a), `typed array kind at ${path}`);
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(
      (b as Uint8Array).buffer,
      (b as Uint8Array).byteOffset,
      (b as Uint8Array).byteLength,
    );
    assert.deepEqual(y, x, `bytes at ${path}`);
    return;
  }
  if (a === null || typeof a !== "object") {
    assert.equal(b, a, path);
    return;
  }
  if (Array.isArray(a)) {
    assert.ok(Array.isArray(b), path);
    assert.equal((b as StateValue[]).length, a.length, path);
    a.forEach((x, i) => assertBitEqual(x, (b as StateValue[])[i], `${path}/${i}`));
    return;
  }
  const bo = b as Record<string, StateValue>;
  assert.deepEqual(Object.keys(bo).sort(), Object.keys(a).sort(), path);
  for (const k of Object.keys(a)) assertBitEqual(a[k], bo[k], `${path}/${k}`);
}

const SPECIAL = [NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 1e-310];

function nanWithPayload(payload: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, 0x7ff80000 | (payload & 0x7ffff));
  v.setUint32(4, payload >>> 0);
  return v.getFloat64(0);
}

function randomValue(rng: Rng, depth: number): StateValue {
  const pick = rng.int(depth > 3 ? 6 : 9);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return rng.next() < 0.4 ? SPECIAL[rng.int(SPECIAL.length)] : rng.normal() * 1e3;
    case 3:
      return ["", "x", "$ta", "ünï€ode", '"quoted"\n'][rng.int(5)];
    case 4: {
      const a = new Float64Array(rng.int(20));
      for (let i = 0; i < a.length; i++) {
        a[i] = rng.next() < 0.3 ? nanWithPayload(rng.int(1 << 30)) : rng.normal();
        if (rng.next() < 0.1) a[i] = SPECIAL[rng.int(SPECIAL.length)];
      }
      return a;
    }
    case 5: {
      const a = new Int32Array(rng.int(9));
      for (let i = 0; i < a.length; i++) a[i] = (rng.int(1 << 30) - (1 << 29)) * 3;
      return rng.next() < 0.3 ? new Int32Array(a.buffer, 4 * Math.min(1, a.length)) : a;
    }
    case 6: {
      const a = new Uint8Array(rng.int(13));
      for (let i = 0; i < a.length; i++) a[i] = rng.int(256);
      return a;
    }
    case 7:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    default: {
      const o: Record<string, StateValue> = {};
      const keys = ["a", "b", "$ta", "$o", "$f64", "n", "o", "weird key"];
      for (let i = rng.int(5); i > 0; i--) {
        o[keys[rng.int(keys.length)]] = randomValue(rng, depth + 1);
      }
      return o;
    }
  }
}

Deno.test("encodeState() then decodeState() is bit-exact for random trees", () => {
  const rng = createRng(20240611);
  for (let trial = 0; trial < 400; trial++) {
    const value = randomValue(rng, 0);
    assertBitEqual(value, decodeState(encodeState(value)), `trial ${trial}`);
  }
});

Deno.test("encodeState() keeps -0, NaN, infinities and typed-array NaN payloads", () => {
  // V8 canonicalises the NaN payload of a plain number stored in an object, so
  // payload exactness is promised (and tested) for typed-array elements only.
  const weird = nanWithPayload(12345);
  const value = { x: -0, y: NaN, z: [Infinity, -Infinity], arr: Float64Array.of(weird, -0) };
  const back = decodeState(encodeState(value)) as Record<string, StateValue>;
  assert.equal(bits(back.x as number), bits(-0));
  assert.ok(Number.isNaN(back.y));
  assert.deepEqual(back.z, [Infinity, -Infinity]);
  assert.equal(bits((back.arr as Float64Array)[0]), bits(weird));
  assert.ok(Object.is((back.arr as Float64Array)[1], -0));
});

Deno.test("encodeState() aligns buffers so decoded arrays are independent copies", () => {
  const src = Float64Array.of(1, 2, 3);
  const bytes = encodeState({ u: Uint8Array.of(7), f: src });
  const back = decodeState(bytes) as Record<string, Float64Array>;
  back.f[0] = 99;
  assert.equal(src[0], 1);
  assert.deepEqual(Array.from(back.f), [99, 2, 3]);
});

Deno.test("decodeState() rejects truncated and corrupted bytes with a clear message", () => {
  const bytes = encodeState({ a: Float64Array.of(1, 2, 3), b: "hello" });
  assert.throws(
    () => decodeState(bytes.subarray(0, bytes.length - 5), "s.bin"),
    /Cannot decode s.bin/,
  );
  const flipped = bytes.slice();
  flipped[20] ^= 1;
  assert.throws(() => decodeState(flipped), /checksum mismatch/);
  assert.throws(() => decodeState(new TextEncoder().encode("{}")), /not an acm state file/);
});

Deno.test("encodeState() rejects values that are not StateValues", () => {
  assert.throws(
    () => encodeState({ f: (() => 1) as unknown as StateValue }),
    /Cannot encode state: .*"\/f"/,
  );
});
