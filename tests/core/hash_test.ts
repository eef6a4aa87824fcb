import assert from "node:assert/strict";
import { digestHex, sha256, sha256Hex } from "../../core/hash.ts";

Deno.test("sha256Hex() matches the FIPS 180-4 test vectors", () => {
  assert.equal(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assert.equal(
    sha256Hex("a".repeat(1_000_000)),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

Deno.test("sha256() agrees with crypto.subtle on every length around the padding boundaries", async () => {
  for (let n = 0; n <= 200; n++) {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 131 + n * 7) & 0xff;
    const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    assert.deepEqual(sha256(bytes), expected, `length ${n}`);
  }
});

Deno.test("sha256Hex() hashes UTF-8 text and typed-array views by their bytes", async () => {
  const text = "Grüße, ∑ 🚀";
  const utf8 = new TextEncoder().encode(text);
  assert.equal(sha256Hex(text), sha256Hex(utf8));
  const values = new Float64Array([1.5, -2, Number.NaN, 1e300, 0]);
  const view = values.subarray(1, 4);
  const copy = new Uint8Array(view.slice().buffer);
  const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", copy));
  assert.deepEqual(sha256(view), expected);
  assert.notEqual(sha256Hex(view), sha256Hex(values));
});

Deno.test("digestHex() (WebCrypto) equals sha256Hex() on the same bytes, views included", async () => {
  const a = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i));
  const view = a.subarray(100, 700);
  assert.equal(await digestHex(view), sha256Hex(view));
  assert.equal(await digestHex(new Uint8Array(0)), sha256Hex(""));
});
