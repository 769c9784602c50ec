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
 * The samples of a running but disconnected desktop (UserConnected = 0, ascending start times) and
 * their period: the evidence of how long a desktop kept running after a disconnect. A desktop that
 * publishes nothing is stopped.
 */
export interface RunningEvidence {
  zeros: readonly number[];
  periodMs: number;
}

/**
 * When each session's billable time ends: the AutoStop timeout after the disconnect at the latest.
 * With `running` evidence it ends earlier when the desktop stopped publishing before the timeout
 * ran out (stopped by an admin or the user): at the end of the last zero sample within the timeout,
 * or at the disconnect when there is none. Without evidence (AlwaysOn and Manual desktops, which
 * would run on under AutoStop) the full timeout counts.
 */
export function billableEnds(
  sessions: readonly Session[],
  timeoutMs: number,
  running?: RunningEvidence,
): number[] {
  let k = 0;
  return sessions.map((s) => {
    const cap = s.end + timeoutMs;
    if (!running) return cap;
    const z = running.zeros;
    while (k < z.length && z[k] < s.end) k++;
    let end = s.end;
    for (let j = k; j < z.length && z[j] < cap; j++) end = Math.max(end, z[j] + running.periodMs);
    return Math.min(cap, end);
  });
}

/**
 * AutoStop billable hours of the sessions (AWS Solutions' Cost Optimizer model): each session from
 * its first connected sample to the end of its billable time (see billableEnds), rounded up to whole
 * hours — with the full timeout, ceil((span + timeout) / 1 h), which equals ceil(span) + timeout for
 * the whole-hour timeouts AWS allows (60-minute steps).
 */
export function billableHours(sessions: readonly Session[], timeoutMs: number, running?: RunningEvidence): number {
  const ends = billableEnds(sessions, timeoutMs, running);
  let hours = 0;
  sessions.forEach((s, i) => hours += Math.ceil((ends[i] - s.start) / HOUR - 1e-9));
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
