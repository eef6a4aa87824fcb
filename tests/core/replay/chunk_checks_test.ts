import assert from "node:assert/strict";
import { checkTimeOrder, STREAM_END_KEY } from "../../../core/replay/chunk_checks.ts";
import { DataError } from "../../../core/errors.ts";
import { makeFrame } from "../../../core/frame.ts";
import type { StreamState } from "../../../core/engine/types.ts";

const MIN = 60_000;
const frame = (minutes: number[]) =>
  makeFrame({
    columns: ["x"],
    values: new Float64Array(minutes.length),
    timestamps: Float64Array.from(minutes, (m) => m * MIN),
  });
const after = (endMin: number) => ({ [STREAM_END_KEY]: endMin * MIN }) as StreamState;
const lines = Int32Array.from([2, 3, 4]);

Deno.test("checkTimeOrder: a chunk after the previous one passes; no end time, no check", () => {
  checkTimeOrder(frame([31, 32, 33]), lines, "b.csv", "a.csv", after(30));
  checkTimeOrder(frame([1, 2, 3]), lines, "b.csv", "a.csv", null);
  checkTimeOrder(frame([1, 2, 3]), lines, "b.csv", "a.csv", {} as StreamState);
});

Deno.test("checkTimeOrder: overlap and going back in time are positioned chunk-overlap errors", () => {
  assert.throws(
    () => checkTimeOrder(frame([29, 30, 31]), lines, "b.csv", "a.csv", after(30)),
    (e: unknown) =>
      e instanceof DataError && e.code === "chunk-overlap" &&
      /2 rows .* overlap chunk a\.csv/.test(e.message) &&
      e.position.line === 2 && /acm split/.test(e.hint ?? ""),
  );
  assert.throws(
    () => checkTimeOrder(frame([1, 2, 3]), lines, "b.csv", null, after(30)),
    /all 3 rows .* lie before the end of the previous chunk .*: the chunk goes back in time/,
  );
});

Deno.test("checkTimeOrder: with resample_s, a bucket shared by two chunks is named as the cause", () => {
  assert.throws(
    () => checkTimeOrder(frame([30, 60]), lines, "b.csv", "a.csv", after(30), 1800),
    (e: unknown) =>
      e instanceof DataError && /resample_s 1800, the bucket at .* holds rows of both chunks/.test(
        e.hint ?? "",
      ),
  );
  // A real overlap of several rows keeps the general advice.
  assert.throws(
    () => checkTimeOrder(frame([0, 30, 60]), lines, "b.csv", "a.csv", after(30), 1800),
    (e: unknown) => e instanceof DataError && /acm split/.test(e.hint ?? ""),
  );
});
