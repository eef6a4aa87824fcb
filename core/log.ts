/** Structured run log: every line carries a level, a message and optional fields. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** One recorded log event. */
export interface LogEvent {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

/** What plugins and stages log through. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that prefixes every message with `scope: `. */
  child(scope: string): Logger;
}

/** A logger that hands every event to `sink` (e.g. collect into an array, print, post to the main thread). */
export function createLogger(sink: (event: LogEvent) => void, scope = ""): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    sink({ level, message: scope ? `${scope}: ${message}` : message, fields });
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (s: string) => createLogger(sink, scope ? `${scope}: ${s}` : s),
  };
}

/** A logger that keeps its events in memory (tests, workers that batch their log). */
export function memoryLogger(): Logger & { events: LogEvent[] } {
  const events: LogEvent[] = [];
  return Object.assign(createLogger((e) => events.push(e)), { events });
}

/** A logger that discards everything. */
export const silentLogger: Logger = createLogger(() => {});
