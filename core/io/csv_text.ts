/**
 * CSV text in and out (RFC 4180): fields with a comma, quote, CR or LF are quoted
 * and quotes doubled; numbers are written at full precision (shortest round-trip,
 * `String(x)`), a missing value (NaN) as an empty field.
 */

/** One CSV field, quoted only when it must be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (with its trailing "\n"). */
export function csvLine(fields: readonly string[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += ",";
    out += csvField(fields[i]);
  }
  return out + "\n";
}

/** A number at full precision; NaN or null → "" (missing). `Number(formatNumber(x)) === x` for finite x. */
export function formatNumber(x: number | null): string {
  return x === null || Number.isNaN(x) ? "" : String(x);
}

/** Reads a CSV field back as a number; "" → NaN. */
export function parseNumber(text: string): number {
  return text === "" ? NaN : Number(text);
}

/**
 * Parses CSV text into rows of fields (quoted fields, doubled quotes, CRLF or LF).
 * A trailing newline does not make an empty last row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let j = i + 1;
      let buf = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          buf += text.slice(j);
          j = n;
          break;
        }
        buf += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          buf += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      field = buf;
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) row.push("");
    } else {
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
