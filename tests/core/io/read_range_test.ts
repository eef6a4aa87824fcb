import assert from "node:assert/strict";
import { readRange } from "../../../core/io/read_range.ts";

Deno.test("readRange() reads the bytes from an offset, fewer when the file ends first", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "0123456789");
    using file = await Deno.open(path, { read: true });
    assert.equal(new TextDecoder().decode(await readRange(file, 3, 4)), "3456");
    assert.equal(new TextDecoder().decode(await readRange(file, 8, 5)), "89");
    assert.equal((await readRange(file, 20, 3)).length, 0);
  } finally {
    await Deno.remove(path);
  }
});
