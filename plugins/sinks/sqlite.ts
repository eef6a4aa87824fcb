/**
 * `sqlite` sink (fleet scope): every asset's chunks into one embedded store,
 * `<artifact-root>/acm.sqlite` by default (core/store/sqlite_store.ts).
 */
import { defineSink } from "../../core/plugin.ts";
import {
  closeStore,
  openStore,
  type SqliteStore,
  writeScoredChunk,
} from "../../core/store/sqlite_store.ts";

/** Options of the sqlite sink. */
export interface SqliteSinkOptions {
  path: string;
  busy_timeout_ms: number;
}

/** The database file for a sink target: `path` if absolute, else relative to the artifact root. */
export function storePath(path: string, artifactRoot: string): string {
  if (path === "") return `${artifactRoot}/acm.sqlite`;
  return path.startsWith("/") ? path : `${artifactRoot}/${path}`;
}

export default defineSink<SqliteSinkOptions>({
  kind: "sink",
  name: "sqlite",
  version: "1.0.0",
  summary:
    "Writes every asset's scores, head z-scores, episodes, culprits and sensor health into one SQLite file.",
  host_api: "^1.0.0",
  scope: "fleet",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      path: {
        type: "string",
        description:
          'Database file; relative paths are under the artifact root; "" = <artifact-root>/acm.sqlite.',
        default: "",
      },
      busy_timeout_ms: {
        type: "integer",
        minimum: 0,
        description: "How long a write waits for another connection's lock before failing.",
        default: 5000,
      },
    },
    examples: [{ path: "", busy_timeout_ms: 5000 }, { path: "stores/plant_a.sqlite" }],
  },
  create(options, ctx) {
    let file: string | undefined;
    let store: SqliteStore | undefined;
    return {
      open(target) {
        const next = storePath(options.path, target.artifactRoot);
        if (store && file !== next) closeStore(store);
        if (!store || file !== next) {
          file = next;
          store = openStore(next, { busyTimeoutMs: options.busy_timeout_ms });
        }
        return Promise.resolve();
      },
      write(chunk) {
        const f = file ?? ctx.fail("write() was called before open()");
        store ??= openStore(f, { busyTimeoutMs: options.busy_timeout_ms });
        writeScoredChunk(store, chunk);
        return Promise.resolve();
      },
      close() {
        if (store) closeStore(store);
        store = undefined;
        return Promise.resolve();
      },
    };
  },
});
