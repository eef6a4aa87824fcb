/**
 * Episode lifecycle events for alerting: compares the episodes a scored chunk
 * carries with what was last announced for the asset and yields `opened`,
 * `updated` (still open, seen further or worse) and `closed` events. Each
 * event has an idempotency key derived only from the asset, the episode's
 * start and the event's own content, so re-running or resuming a chunk yields
 * the same keys and a receiver can drop duplicates.
 */
import { sha256Hex } from "../hash.ts";
import type { EpisodeRecord } from "../io/records.ts";

/** What happened to an episode. */
export type EpisodeEventType = "opened" | "updated" | "closed";

/** One event, as POSTed (JSON). */
export interface EpisodeEvent {
  type: EpisodeEventType;
  /** Stable across re-runs: hex SHA-256 of asset, episode start, type (and end for updates). */
  idempotency_key: string;
  asset: string;
  chunk: string;
  episode: EpisodeRecord;
}

/** What was announced last per episode id (kept in the asset directory between chunks). */
export interface Announced {
  start: string;
  end: string;
  open: boolean;
  severity: string;
}

/** The idempotency key of an event. */
export function eventKey(asset: string, type: EpisodeEventType, e: EpisodeRecord): string {
  const part = type === "updated" ? `${e.end}|${e.severity}` : "";
  return sha256Hex(`acm-episode|${asset}|${e.start}|${type}|${part}`).slice(0, 32);
}

/**
 * The events that `episodes` (the chunk's view) imply given what was announced;
 * returns them in episode order and the new announced map.
 */
export function episodeEvents(
  asset: string,
  chunk: string,
  episodes: readonly EpisodeRecord[],
  announced: Readonly<Record<string, Announced>>,
): { events: EpisodeEvent[]; announced: Record<string, Announced> } {
  const next: Record<string, Announced> = { ...announced };
  const events: EpisodeEvent[] = [];
  const push = (type: EpisodeEventType, e: EpisodeRecord) =>
    events.push({ type, idempotency_key: eventKey(asset, type, e), asset, chunk, episode: e });
  for (const e of [...episodes].sort((a, b) => a.episode_id - b.episode_id)) {
    const id = String(e.episode_id);
    const before = announced[id];
    // The same id with another start is another episode (e.g. after --clear-cache).
    const known = before && before.start === e.start ? before : undefined;
    if (!known) {
      push("opened", e);
      if (!e.open) push("closed", e);
    } else if (known.open && !e.open) push("closed", e);
    else if (e.open && (e.end !== known.end || e.severity !== known.severity)) {
      // An update only when the episode was seen further or changed severity.
      if (e.end > known.end || e.severity !== known.severity) push("updated", e);
    } else continue;
    next[id] = { start: e.start, end: e.end, open: e.open, severity: e.severity };
  }
  return { events, announced: next };
}
