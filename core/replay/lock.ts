/**
 * Exclusive lock on an artifact root: two replays (or a replay and a
 * `--clear-cache` run) on one root would both train, write duplicate model
 * versions and race on the ledger. The lock is an OS file lock
 * (`FsFile.tryLock(true)`, flock) on `<root>/.acm.lock`, which holds the
 * holder's pid, host, start time and command while it runs and is emptied on
 * release. The OS drops the lock when its process dies (kill -9, crash), so a
 * stale lock never blocks: the next run takes it and notes whose it was.
 * (Deno reads /proc only with --allow-all, so "is that pid alive" is not
 * asked.) Local file systems only: flock over NFS is not reliable.
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

/** Takes the lock on `artifactRoot` (which must exist) or throws RootLockedError. */
export async function acquireRootLock(
  artifactRoot: string,
  command = "acm replay",
): Promise<RootLock> {
  const path = `${artifactRoot}/${LOCK_FILE}`;
  const file = await Deno.open(path, { read: true, write: true, create: true });
  let held = false;
  try {
    if (!(await file.tryLock(true))) throw new RootLockedError(path, await readHolder(path));
    held = true;
    // A cleanly released lock is empty: content means its holder was killed.
    const before = await readHolder(path);
    const me: LockHolder = {
      pid: Deno.pid,
      host: hostName(),
      started: new Date().toISOString(),
      command,
    };
    await file.truncate(0);
    await file.write(new TextEncoder().encode(JSON.stringify(me) + "\n"));
    await file.syncData();
    const staleNote = before
      ? `took over the artifact-root lock of pid ${before.pid} on ${before.host} (started ${before.started}), which ended without releasing it`
      : null;
    let released = false;
    return {
      path,
      staleNote,
      async release() {
        if (released) return;
        released = true;
        // Emptied, not removed: removing it would let a waiting process lock a
        // deleted file while a third creates a new one.
        await file.truncate(0).catch(() => {});
        await file.unlock().catch(() => {});
        file.close();
      },
    };
  } catch (e) {
    if (held) await file.unlock().catch(() => {});
    file.close();
    throw e;
  }
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
  } catch { /* empty (released) or half-written */ }
  return null;
}
