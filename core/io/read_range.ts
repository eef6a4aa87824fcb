/** Reading a byte range of an open file. */

/**
 * Up to `length` bytes of `file` from byte `start` (fewer when the file ends
 * first: the caller decides whether a short read is an error).
 */
export async function readRange(
  file: Deno.FsFile,
  start: number,
  length: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await file.seek(start, Deno.SeekMode.Start);
  let off = 0;
  while (off < length) {
    const got = await file.read(out.subarray(off));
    if (got === null) break;
    off += got;
  }
  return out.subarray(0, off);
}
