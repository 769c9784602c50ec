/**
 * Structured logging to stderr. stdout belongs to JSON-RPC, so nothing here ever writes there,
 * and nothing logged may carry credentials: callers pass ids and codes, never configs.
 */
import type { LogLevel } from "./config.ts";

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A leveled logger that writes one JSON object per line to stderr. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const encoder = new TextEncoder();

// Keys whose values must never reach a log line, whatever a caller passes.
const SECRET_KEY = /secret|token|password|credential|session|authorization/i;

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : v;
  return out;
}

/** Creates a stderr logger that drops lines below `level`. */
export function createLogger(level: LogLevel, write: (line: string) => void = writeStderr): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...scrub(fields ?? {}) });
    write(line);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}
