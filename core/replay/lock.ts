/**
 * Exclusive lock on an artifact root: two replays (or a replay and a
 * `--clear-cache` run) on one root would both train, write duplicate model
 * versions and race on the ledger. The lock is the file `<root>/.acm.lock`,
 * created with `createNew` (atomic O_EXCL), holding the holder's pid, host,
 * start time and command. A lock whose holder is on this host and no longer
 * running (no `/proc/<pid>`) is stale: it is removed with a note and taken.
 */

/** The lock file's name inside the artifact root. */
export const LOCK_FILE = ".acm.lock";

/** Who holds the lock (the file's JSON content). */
export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
}

/** The artifact root is locked by a live run. */
export class RootLockedError extends Error {
  constructor(readonly lockPath: string, readonly holder: LockHolder | null) {
    const who = holder
      ? `pid ${holder.pid} on host ${holder.host} (started ${holder.started}, ${holder.command})`
      : "another run (the lock file could not be read)";
    super(
      `Cannot replay: the artifact root is locked by ${who}: ${lockPath}. Wait for that run to ` +
        `finish, or use another --artifact-root; if no such run exists any more, delete ${lockPath}`,
    );
    this.name = "RootLockedError";
  }
}

/** A held lock; `release()` removes the file (idempotent). */
export interface RootLock {
  path: string;
  /** Set when a stale lock was removed to take this one. */
  staleNote: string | null;
  release(): Promise<void>;
}

/** This machine's name without needing `--allow-sys` (never prompts). */
export function hostName(): string {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state === "granted") {
      return Deno.hostname();
    }
  } catch { /* fall through */ }
  try {
    return Deno.readTextFileSync("/etc/hostname").trim() || "unknown";
  } catch {
    return "unknown";
  }
}

/** Whether `pid` runs on this machine; `null` when that cannot be told (no /proc). */
export function pidAlive(pid: number): boolean | null {
  try {
    Deno.statSync("/proc/self");
  } catch {
    return null;
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock on `artifactRoot` (which must exist) or throws RootLockedError. */
export async function acquireRootLock(
  artifactRoot: string,
  command = "acm replay",
): Promise<RootLock> {
  const path = `${artifactRoot}/${LOCK_FILE}`;
  const me: LockHolder = {
    pid: Deno.pid,
    host: hostName(),
    started: new Date().toISOString(),
    command,
  };
  let staleNote: string | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = await Deno.open(path, { write: true, createNew: true });
      try {
        await f.write(new TextEncoder().encode(JSON.stringify(me) + "\n"));
      } finally {
        f.close();
      }
      let released = false;
      return {
        path,
        staleNote,
        async release() {
          if (released) return;
          released = true;
          await Deno.remove(path).catch(() => {});
        },
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const holder = await readHolder(path);
    if (holder ? !isStale(holder, me.host) : !(await halfWrittenAndOld(path))) {
      throw new RootLockedError(path, holder);
    }
    await Deno.remove(path).catch(() => {});
    staleNote = holder
      ? `removed a stale lock ${path} (pid ${holder.pid} on ${holder.host}, started ${holder.started}, is not running)`
      : `removed an unreadable lock ${path} older than ${HALF_WRITTEN_S} s (a run killed while taking it)`;
  }
  throw new RootLockedError(path, await readHolder(path));
}

/** An unreadable lock file older than this is a run killed between create and write. */
const HALF_WRITTEN_S = 10;

async function halfWrittenAndOld(path: string): Promise<boolean> {
  const info = await Deno.stat(path).catch(() => null);
  if (!info) return true;
  return Date.now() - (info.mtime?.getTime() ?? 0) > HALF_WRITTEN_S * 1000;
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const v = JSON.parse(await Deno.readTextFile(path));
    if (typeof v?.pid === "number" && typeof v?.host === "string") {
      return {
        pid: v.pid,
        host: v.host,
        started: String(v.started ?? "?"),
        command: String(v.command ?? "?"),
      };
    }
  } catch { /* unreadable or half-written */ }
  return null;
}

function isStale(holder: LockHolder, host: string): boolean {
  if (holder.host !== host) return false;
  if (holder.pid === Deno.pid) return false;
  return pidAlive(holder.pid) === false;
}
