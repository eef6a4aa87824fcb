/**
 * Connecting to PostgreSQL (npm:postgres): the URL or the `PG*` environment
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE — postgres.js reads them),
 * TLS from `sslmode` in the URL or the options (`disable`, `require`,
 * `verify-full`) plus an optional CA file. Credentials are never logged:
 * `redactUrl()` is what any message, manifest or job payload shows.
 */
import postgres from "postgres";

/** A postgres.js connection pool. */
export type Sql = postgres.Sql;
/** A postgres.js transaction handle. */
export type TxSql = postgres.TransactionSql;

/** How to reach the database. */
export interface PgConnectOptions {
  /** `postgres://user@host:port/db?sslmode=…`; "" = the `PG*` environment. */
  url: string;
  /** Overrides the URL's `sslmode`: disable | prefer | require | verify-full. */
  sslMode?: string;
  /** PEM file of the CA that signed the server certificate (implies verification). */
  sslCaFile?: string;
  /** Pool size (default 4). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

const SSL_MODES = ["disable", "prefer", "require", "verify-ca", "verify-full"];

/**
 * Whether `err` is postgres.js's write to a socket that had just closed: its
 * `nextWrite`, run from setImmediate after `closed()` set the socket to null
 * (porsager/postgres#1154, #1208; 3.4.9 has no fix). It is thrown from a timer,
 * so no await or try/catch sees it and it would end the process — a queue worker
 * during a server restart. By then `closed()` has already failed that
 * connection's queries with CONNECTION_CLOSED, which our callers retry.
 */
export function isClosedSocketWrite(err: unknown): boolean {
  return err instanceof TypeError &&
    err.message === "Cannot read properties of null (reading 'write')" &&
    /\bnextWrite \([^)]*[\\/]postgres[\\/][^)]*[\\/]connection\.js:/.test(err.stack ?? "");
}

let guarded = false;

/** Once per process: turns the closed-socket write into a warning instead of a crash. */
function guardClosedSocketWrites(): void {
  if (guarded) return;
  guarded = true;
  globalThis.addEventListener("error", (event) => {
    if (!isClosedSocketWrite(event.error)) return;
    event.preventDefault();
    console.error(
      "[WARN] postgres: a write on a connection that had just closed was dropped (postgres.js issue #1154); its queries had already failed with CONNECTION_CLOSED and are retried",
    );
  });
}

/** Opens a pool; nothing connects until the first query. */
export function connectPg(opts: PgConnectOptions): Sql {
  guardClosedSocketWrites();
  const url = opts.url === "" ? undefined : opts.url;
  const fromUrl = url ? new URL(url).searchParams.get("sslmode") ?? undefined : undefined;
  const mode = opts.sslMode || fromUrl || Deno.env.get("PGSSLMODE") || "disable";
  if (!SSL_MODES.includes(mode)) {
    throw new Error(
      `Cannot connect to PostgreSQL: sslmode "${mode}" is not one of ${SSL_MODES.join(", ")}`,
    );
  }
  let ssl: postgres.Options<Record<string, never>>["ssl"] = false;
  if (opts.sslCaFile) {
    ssl = { ca: Deno.readTextFileSync(opts.sslCaFile), rejectUnauthorized: true };
  } else if (mode === "verify-full" || mode === "verify-ca") ssl = "verify-full";
  else if (mode === "require") ssl = "require";
  else if (mode === "prefer") ssl = "prefer";
  const options = {
    max: opts.max ?? 4,
    ssl,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? "acm" },
    // float8 and timestamptz come back exact: numbers and Date (ms).
    types: {},
  };
  return url ? postgres(stripSslMode(url), options) : postgres(options);
}

/** The URL without the password (and without query secrets), for messages and manifests. */
export function redactUrl(url: string): string {
  if (url === "") return "(PG* environment)";
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const k of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, "***");
    }
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** `host:port` of a URL (or of PGHOST/PGPORT), for `--allow-net` narrowing. */
export function netTarget(url: string): string {
  if (url === "") {
    return `${Deno.env.get("PGHOST") ?? "localhost"}:${Deno.env.get("PGPORT") ?? "5432"}`;
  }
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}`;
}

function stripSslMode(url: string): string {
  const u = new URL(url);
  u.searchParams.delete("sslmode");
  return u.toString();
}

/** A database error's message without the connection details. */
export function pgErrorMessage(e: unknown): string {
  const err = e as { message?: string; code?: string };
  const code = err.code && /^[0-9A-Z]{5}$/.test(err.code) ? ` (SQLSTATE ${err.code})` : "";
  return `${err.message ?? String(e)}${code}`;
}
