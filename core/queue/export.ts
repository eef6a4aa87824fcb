/**
 * `acm export`: writes the csv sink's per-asset layout (scores.csv,
 * episodes.csv, sensors.csv and the JSON companions) from the PostgreSQL store,
 * by handing each stored chunk, rebuilt exactly (core/store/pg_store.ts), to the
 * csv writer the csv sink uses — so a distributed replay's export and a local
 * replay's csv outputs are the same bytes.
 */
import { writeCsvChunk } from "../io/csv_outputs.ts";
import { connectPg, redactUrl } from "../store/pg_connect.ts";
import { checkSchemaName } from "../store/pg_schema.ts";
import { readChunkResults, storedChunks } from "../store/pg_store.ts";

/** Export settings. */
export interface ExportOptions {
  url: string;
  schema?: string;
  artifactRoot: string;
  /** Only these assets (default: every asset in the store). */
  equip?: string[];
  print?: (line: string) => void;
}

/** Writes every (selected) asset; returns chunks written per asset. */
export async function exportStore(o: ExportOptions): Promise<Record<string, number>> {
  const s = checkSchemaName(o.schema ?? "acm");
  const print = o.print ?? ((l: string) => console.log(l));
  const sql = connectPg({ url: o.url, max: 2, applicationName: "acm export" });
  try {
    const rows = await sql.unsafe(
      `SELECT DISTINCT asset FROM ${s}.chunks WHERE meta IS NOT NULL ORDER BY asset`,
    );
    let assets = rows.map((r) => String(r.asset));
    if (o.equip?.length) {
      const missing = o.equip.filter((a) => !assets.includes(a));
      if (missing.length) {
        throw new Error(
          `Cannot export ${missing.map((m) => `"${m}"`).join(", ")}: not in the store at ${
            redactUrl(o.url)
          } (it has ${assets.join(", ") || "no asset"})`,
        );
      }
      assets = o.equip;
    }
    const out: Record<string, number> = {};
    for (const asset of assets) {
      const dir = `${o.artifactRoot}/${asset}`;
      // The export replaces the asset's csv outputs: start from no parts.
      await Deno.remove(`${dir}/.parts/csv`, { recursive: true }).catch(() => {});
      const chunks = await storedChunks(sql, s, asset);
      for (const c of chunks) {
        await writeCsvChunk(dir, await readChunkResults(sql, s, asset, c.chunk));
      }
      out[asset] = chunks.length;
      print(`  ${asset}: ${chunks.length} chunk(s) → ${dir}`);
    }
    return out;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
