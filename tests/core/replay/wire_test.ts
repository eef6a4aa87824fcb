import assert from "node:assert/strict";
import { decodeFrame, encodeFrame, readFrames } from "../../../core/replay/wire.ts";

const sample = () => ({
  type: "chunk",
  index: 2,
  entry: { file: "a.csv", rows: 3, error: null, ok: true },
  scored: {
    fused: new Float64Array([1.5, NaN, -Infinity]),
    alarm: new Uint8Array([0, 1, 0]),
    regime: new Int32Array([-1, 0, 7]),
    sub: new Float64Array([9, 8, 7, 6]).subarray(1, 3),
    heads: { ar1: new Float32Array([0.25]) },
    stats: [NaN, Infinity, 0, -0.5],
  },
});

Deno.test("encodeFrame/decodeFrame round-trip typed arrays (also sub-views) and non-finite numbers", () => {
  const frame = encodeFrame(sample());
  const size = new DataView(frame.buffer).getUint32(0, true);
  assert.equal(size, frame.length - 4);
  const back = decodeFrame(frame.subarray(4)) as ReturnType<typeof sample>;
  assert.deepEqual(back, {
    ...sample(),
    scored: { ...sample().scored, sub: new Float64Array([8, 7]) },
  });
  assert.ok(back.scored.fused instanceof Float64Array);
  assert.ok(back.scored.regime instanceof Int32Array);
  assert.ok(Number.isNaN(back.scored.stats[0]));
});

Deno.test("readFrames() reassembles frames split across any chunk boundaries", async () => {
  const big = { type: "big", x: new Float64Array(100_000).map((_, i) => i) };
  const bytes = [encodeFrame(sample()), encodeFrame(big), encodeFrame({ type: "ack" })];
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) all.set(b, (at += b.length) - b.length);
  for (const step of [3, 4093, 65_536, all.length]) {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < all.length; i += step) c.enqueue(all.slice(i, i + step));
        c.close();
      },
    });
    const got = await Array.fromAsync(readFrames(stream)) as { type: string; x?: Float64Array }[];
    assert.deepEqual(got.map((m) => m.type), ["chunk", "big", "ack"], `step ${step}`);
    assert.equal(got[1].x![99_999], 99_999);
  }
});

Deno.test("encodeFrame() refuses a value it cannot carry", () => {
  assert.throws(() => encodeFrame({ v: new BigInt64Array(1) }), /cannot send a BigInt64Array/);
});
