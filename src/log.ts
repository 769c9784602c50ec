/**
 * Structured logging to stderr, and to the MCP client as `notifications/message` once it asked for
 * them with `logging/setLevel`. stdout belongs to JSON-RPC, so nothing here ever writes there, and
 * nothing logged may carry credentials: callers pass ids and codes, never configs, and secret-looking
 * keys are redacted on both paths.
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

/** The fields with every secret-looking key's value replaced by "[redacted]". */
export function scrub(fields: Record<string, unknown>): Record<string, unknown> {
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

/** MCP log levels (RFC 5424 names), lowest first. */
export const MCP_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;
/** An MCP log level, as `logging/setLevel` and `notifications/message` carry it. */
export type McpLevel = typeof MCP_LEVELS[number];

const TO_MCP: Readonly<Record<LogLevel, McpLevel>> = { debug: "debug", info: "info", warn: "warning", error: "error" };

/** One `notifications/message` payload. */
export interface McpLogMessage {
  level: McpLevel;
  logger: string;
  data: Record<string, unknown>;
}

/**
 * A logger that writes to `base` (stderr, its own level) and also hands each record at or above the
 * client's level to `send` — only once `level()` returns one, i.e. after the client called
 * `logging/setLevel`. A failing `send` (client gone) never fails the caller.
 */
export function teeToClient(
  base: Logger,
  level: () => McpLevel | undefined,
  send: (message: McpLogMessage) => Promise<void>,
  logger: string,
): Logger {
  const forward = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const wanted = level();
    if (!wanted) return;
    const mcp = TO_MCP[lvl];
    if (MCP_LEVELS.indexOf(mcp) < MCP_LEVELS.indexOf(wanted)) return;
    send({ level: mcp, logger, data: { msg, ...scrub(fields ?? {}) } }).catch(() => {});
  };
  const at = (lvl: LogLevel) => (m: string, f?: Record<string, unknown>) => {
    base[lvl](m, f);
    forward(lvl, m, f);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}
