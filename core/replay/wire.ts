/**
 * Messages between `acm replay` and an asset's child process
 * (core/replay/asset_process.ts) over a pipe: one frame per message, the
 * structured-clone-like values the worker protocol uses (plain objects,
 * arrays, strings, finite and non-finite numbers, booleans, null, typed
 * arrays). Typed arrays travel as raw bytes after a JSON header, so a scored
 * chunk's columns are not turned into text.
 *
 * Frame: u32 header length, u32 buffer count, header (UTF-8 JSON), then per
 * buffer u32 byte length and the bytes; all little-endian, prefixed by the
 * frame's u32 total length.
 */

type Typed =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

const TYPED: Record<string, new (b: ArrayBuffer) => Typed> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
};

const MAX_FRAME = 0xffff_ffff;

/** Encodes one message into a frame. */
export function encodeFrame(message: unknown): Uint8Array {
  const buffers: Uint8Array[] = [];
  const header = JSON.stringify(message, function (this: unknown, _key, value) {
    if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const kind = value.constructor.name;
      if (!(kind in TYPED)) throw new Error(`cannot send a ${kind}`);
      buffers.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return { $typed: kind, i: buffers.length - 1 };
    }
    return value;
  });
  const head = new TextEncoder().encode(header ?? "null");
  const size = 8 + head.length + buffers.reduce((n, b) => n + 4 + b.length, 0);
  if (size > MAX_FRAME) throw new Error(`message of ${size} bytes is over the 4 GiB frame limit`);
  const out = new Uint8Array(4 + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, size, true);
  view.setUint32(4, head.length, true);
  view.setUint32(8, buffers.length, true);
  out.set(head, 12);
  let at = 12 + head.length;
  for (const b of buffers) {
    view.setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

/** Decodes a frame's content (without its length prefix). */
export function decodeFrame(frame: Uint8Array): unknown {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headLen = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  const header = new TextDecoder().decode(frame.subarray(8, 8 + headLen));
  const buffers: Uint8Array[] = [];
  let at = 8 + headLen;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(at, true);
    buffers.push(frame.slice(at + 4, at + 4 + len)); // a copy: aligned, owns its buffer
    at += 4 + len;
  }
  return JSON.parse(header, (_key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (typeof value.$num === "string" && Object.keys(value).length === 1) {
        return Number(value.$num);
      }
      if (typeof value.$typed === "string" && typeof value.i === "number") {
        return new TYPED[value.$typed](buffers[value.i].buffer as ArrayBuffer);
      }
    }
    return value;
  });
}

/** Splits a byte stream into frames and decodes each (each byte is copied once). */
export async function* readFrames(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  let lenBytes = new Uint8Array(4);
  let lenFill = 0;
  let frame: Uint8Array | null = null;
  let fill = 0;
  for await (let chunk of stream) {
    while (chunk.length > 0) {
      if (frame === null) {
        const take = Math.min(4 - lenFill, chunk.length);
        lenBytes.set(chunk.subarray(0, take), lenFill);
        lenFill += take;
        chunk = chunk.subarray(take);
        if (lenFill < 4) break;
        frame = new Uint8Array(new DataView(lenBytes.buffer).getUint32(0, true));
        fill = 0;
        lenBytes = new Uint8Array(4);
        lenFill = 0;
      }
      const take = Math.min(frame.length - fill, chunk.length);
      frame.set(chunk.subarray(0, take), fill);
      fill += take;
      chunk = chunk.subarray(take);
      if (fill === frame.length) {
        const done = frame;
        frame = null;
        yield decodeFrame(done);
      }
    }
  }
}
