/**
 * `postgres` sink (fleet scope): every asset's scores, episodes and sensor
 * health into a PostgreSQL results store (core/store/pg_store.ts), one
 * transaction per chunk; the run, chunk ledger and model versions are recorded
 * after the replay (core/store/pg_records.ts). The connection comes from
 * `url`, else `$ACM_PG_URL`, else the `PG*` environment; keep passwords out of
 * pipeline files (use PGPASSWORD or the environment URL).
 */
import { defineSink } from "../../core/plugin.ts";
import { connectPg, pgErrorMessage, redactUrl, type Sql } from "../../core/store/pg_connect.ts";
import { migrate } from "../../core/store/pg_schema.ts";
import { writeChunkResults } from "../../core/store/pg_store.ts";

/** Options of the postgres sink. */
export interface PostgresSinkOptions {
  url: string;
  schema: string;
  ssl_mode: string;
  ssl_ca_file: string;
}

/** The URL a sink (or `--queue ""`) uses: the option, else $ACM_PG_URL, else "" (PG* variables). */
export function resolvePgUrl(url: string): string {
  return url !== "" ? url : Deno.env.get("ACM_PG_URL") ?? "";
}

export default defineSink<PostgresSinkOptions>({
  kind: "sink",
  name: "postgres",
  version: "1.0.0",
  summary:
    "Writes every asset's scores (COPY), episodes, sensor health, chunks, runs and model versions into PostgreSQL.",
  host_api: "^1.0.0",
  scope: "fleet",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      url: {
        type: "string",
        description:
          'postgres://user@host:port/db; "" = $ACM_PG_URL, else the PG* environment. Keep the password in PGPASSWORD.',
        default: "",
      },
      schema: {
        type: "string",
        pattern: "^[a-z_][a-z0-9_]{0,62}$",
        description: "Database schema holding the tables (created and migrated on first use).",
        default: "acm",
      },
      ssl_mode: {
        type: "string",
        enum: ["", "disable", "prefer", "require", "verify-ca", "verify-full"],
        description: 'TLS mode; "" = the URL\'s sslmode, else PGSSLMODE, else disable.',
        default: "",
      },
      ssl_ca_file: {
        type: "string",
        description: 'PEM file of the CA to verify the server with; "" = none.',
        default: "",
      },
    },
    examples: [
      { url: "", schema: "acm" },
      { url: "postgres://acm_writer@db.plant.example:5432/acm", ssl_mode: "verify-full" },
    ],
  },
  create(options, ctx) {
    let sql: Sql | undefined;
    const url = resolvePgUrl(options.url);
    return {
      async open() {
        if (sql) return;
        sql = connectPg({
          url,
          sslMode: options.ssl_mode,
          sslCaFile: options.ssl_ca_file || undefined,
          applicationName: "acm sink",
        });
        try {
          await migrate(sql, options.schema);
        } catch (e) {
          const db = sql;
          sql = undefined;
          await db.end({ timeout: 1 });
          ctx.fail(`cannot open the store at ${redactUrl(url)}: ${pgErrorMessage(e)}`, {
            hint: "check the URL / PG* variables and that the role may create the schema",
          });
        }
      },
      async write(chunk) {
        const db = sql ?? ctx.fail("write() was called before open()");
        await db.begin((tx) => writeChunkResults(tx, options.schema, chunk));
      },
      async close() {
        await sql?.end({ timeout: 5 });
        sql = undefined;
      },
    };
  },
});
