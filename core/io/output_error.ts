/**
 * One error type for every output a sink writes (files, the SQLite store): it names
 * the file, says what went wrong in plain words and what to do about it.
 */

/** A sink could not write an output; `path` is the file, `hint` what to do. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}\n    hint: ${hint}`, options);
    this.name = "OutputError";
  }
}

/** What kind of failure an OS or SQLite error is, read from its class, code and message. */
export type FailureKind =
  | "disk-full"
  | "read-only"
  | "permission"
  | "locked"
  | "missing"
  | "corrupt"
  | "other";

/** Classifies an error thrown by a file or database operation. */
export function failureKind(err: unknown): FailureKind {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : String(err);
  if (code === "ENOSPC" || /no space left|disk (is )?full|SQLITE_FULL/i.test(message)) {
    return "disk-full";
  }
  if (code === "EROFS" || /read-only file system|readonly database/i.test(message)) {
    return "read-only";
  }
  if (/database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED/i.test(message)) {
    return "locked";
  }
  if (
    /file is not a database|database disk image is malformed|SQLITE_(CORRUPT|NOTADB)/i.test(message)
  ) {
    return "corrupt";
  }
  if (
    err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable ||
    code === "EACCES" || code === "EPERM" ||
    /permission denied|requires write access/i.test(message)
  ) {
    return "permission";
  }
  if (err instanceof Deno.errors.NotFound || code === "ENOENT") return "missing";
  return "other";
}

const WHAT: Record<FailureKind, string> = {
  "disk-full": "the disk is full",
  "read-only": "the file system or database is read-only",
  "permission": "permission denied",
  "locked": "the database is locked by another connection",
  "missing": "the directory does not exist",
  "corrupt": "the file is not a readable SQLite database (corrupt, truncated or another format)",
  "other": "the write failed",
};

const HINT: Record<FailureKind, string> = {
  "disk-full": "free disk space (or choose another --artifact-root), then re-run with --resume",
  "read-only":
    "make the output location writable (or choose another --artifact-root), then re-run with --resume",
  "permission":
    "make the directory writable for this user (chmod u+w) or choose another --artifact-root, then re-run with --resume",
  "locked":
    "another process holds the database: stop it (or raise the sink's busy_timeout_ms), then re-run with --resume",
  "missing": "check the --artifact-root path, then re-run with --resume",
  "corrupt": "", // names the file: see recoveryHint()
  "other":
    "see the cause above; the previous complete file was left in place, re-run with --resume",
};

/** Wraps a failure of `action` on `path` into an OutputError with a plain cause and a hint. */
export function outputError(action: string, path: string, err: unknown): OutputError {
  if (err instanceof OutputError) return err;
  const kind = failureKind(err);
  const detail = err instanceof Error ? err.message : String(err);
  return new OutputError(
    `Cannot ${action} "${path}": ${WHAT[kind]} (${detail})`,
    path,
    kind === "corrupt" ? corruptStoreHint(path) : HINT[kind],
    { cause: err },
  );
}

/**
 * What to do with a corrupt store file: move it aside and replay every chunk again.
 * Not `--resume`: that would skip the chunks already done, whose rows the new store lacks.
 */
export function corruptStoreHint(path: string): string {
  const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
  return `move it aside (nothing in it can be read): mv ${q(path)} ${q(`${path}.corrupt`)} ` +
    `(and its -wal/-shm files, if any); ` +
    "then re-run the same acm replay command without --resume, which rebuilds the store from " +
    "the chunks (with --resume the chunks already done would be missing from it)";
}
