/**
 * Concatenates per-chunk CSV parts (each with its own header line) into one
 * cumulative CSV. Identical headers are joined as text (fast path); differing
 * headers (a head or sensor added or dropped between model versions) are joined
 * on the union of columns, the first column kept first, missing cells empty.
 */
import { csvLine, parseCsv } from "./csv_text.ts";

function splitHeader(text: string): [string, string] {
  const nl = text.indexOf("\n");
  return nl < 0 ? [text, ""] : [text.slice(0, nl), text.slice(nl + 1)];
}

/** One CSV text from parts given in order; "" when there are no parts. */
export function mergeCsvParts(parts: readonly string[]): string {
  if (parts.length === 0) return "";
  const split = parts.map(splitHeader);
  const header = split[0][0];
  if (split.every(([h]) => h === header)) return header + "\n" + split.map(([, b]) => b).join("");
  const columns: string[] = [];
  const seen = new Set<string>();
  const headers = split.map(([h]) => parseCsv(h)[0] ?? []);
  for (const h of headers) {
    for (const c of h) {
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
    }
  }
  let out = csvLine(columns);
  split.forEach(([h, body], p) => {
    if (h === header && headers[p].length === columns.length) {
      out += body;
      return;
    }
    const map = columns.map((c) => headers[p].indexOf(c));
    for (const row of parseCsv(body)) out += csvLine(map.map((j) => (j < 0 ? "" : row[j] ?? "")));
  });
  return out;
}
