/**
 * Session arithmetic of the usage engine: connected 5-minute samples → sessions → AutoStop billable
 * hours and active days, and the idle threshold. Pure functions, no AWS calls.
 */
import type { Workspace } from "../../aws/listing.ts";
import { DAY, HOUR } from "../_lib/format.ts";

/**
 * The gap that ends a session for desktops without an AutoStop timeout (AlwaysOn, Manual): the
 * default AutoStop timeout, i.e. what they would be billed under AutoStop.
 */
export const DEFAULT_SESSION_TIMEOUT_MINUTES = 60;

/** A connected run: first sample start and end of the last sample (epoch ms). */
export interface Session {
  start: number;
  end: number;
}

/** The idle threshold: a desktop used on at most this many days of the window is idle. */
export function idleThresholdDays(lookbackDays: number): number {
  return Math.max(1, Math.floor(lookbackDays / 7));
}

/**
 * Splits connected samples (ascending sample start times) into sessions: a session starts at the
 * first connected sample and ends when no sample is connected for at least `timeoutMs` (measured
 * from the end of the last connected sample to the start of the next one).
 */
export function sessionsFrom(timestamps: readonly number[], periodMs: number, timeoutMs: number): Session[] {
  const out: Session[] = [];
  let current: Session | undefined;
  for (const t of timestamps) {
    if (current && t - current.end < timeoutMs) {
      current.end = Math.max(current.end, t + periodMs);
      continue;
    }
    current = { start: t, end: t + periodMs };
    out.push(current);
  }
  return out;
}

/**
 * AutoStop billable hours of the sessions (AWS Solutions' Cost Optimizer model): each session's
 * connected span rounded up to whole hours, plus the AutoStop timeout the desktop keeps running for
 * after the disconnect — computed as ceil((span + timeout) / 1 h), which equals ceil(span) + timeout
 * for the whole-hour timeouts AWS allows (60-minute steps).
 */
export function billableHours(sessions: readonly Session[], timeoutMs: number): number {
  let hours = 0;
  for (const s of sessions) hours += Math.ceil((s.end - s.start + timeoutMs) / HOUR - 1e-9);
  return hours;
}

/** Distinct UTC days with at least one connected sample. */
export function activeDays(timestamps: readonly number[]): number {
  const days = new Set<number>();
  for (const t of timestamps) days.add(Math.floor(t / DAY));
  return days.size;
}

/** The minutes a disconnect must last to end one of this desktop's sessions. */
export function sessionTimeoutMinutes(w: Workspace): number {
  const p = w.WorkspaceProperties;
  const t = p?.RunningMode === "AUTO_STOP" ? p.RunningModeAutoStopTimeoutInMinutes : undefined;
  return t && t > 0 ? t : DEFAULT_SESSION_TIMEOUT_MINUTES;
}
