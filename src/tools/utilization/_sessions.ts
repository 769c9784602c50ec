/**
 * Session arithmetic of the usage engine: connected 5-minute samples → sessions → AutoStop billable
 * hours and active days, and the idle threshold. Pure functions, no AWS calls.
 */
import type { Workspace } from "../../aws/listing.ts";
import { DAY, HOUR, MINUTE } from "../_lib/format.ts";

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
export function sessionsFrom(timestamps: ArrayLike<number>, periodMs: number, timeoutMs: number): Session[] {
  const out: Session[] = [];
  let current: Session | undefined;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
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
  zeros: ArrayLike<number>;
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
export function activeDays(timestamps: ArrayLike<number>): number {
  const days = new Set<number>();
  for (let i = 0; i < timestamps.length; i++) days.add(Math.floor(timestamps[i] / DAY));
  return days.size;
}

/** The minutes a disconnect must last to end one of this desktop's sessions. */
export function sessionTimeoutMinutes(w: Workspace): number {
  const p = w.WorkspaceProperties;
  const t = p?.RunningMode === "AUTO_STOP" ? p.RunningModeAutoStopTimeoutInMinutes : undefined;
  return t && t > 0 ? t : DEFAULT_SESSION_TIMEOUT_MINUTES;
}

/** What hourly UserConnected (Maximum) says of a desktop: the hours it was connected in, and for AutoStop the rest. */
export interface HourlyEvidence {
  /** Start of every hour with a connected sample (ascending). */
  connected: ArrayLike<number>;
  /** AutoStop desktops (read whole): the hours it published anything at all (running), ascending. */
  present?: ArrayLike<number>;
  /** AutoStop desktops: the hours it ran without a connected sample (hourly Maximum 0), ascending. */
  zeros?: ArrayLike<number>;
}

/** Bounds of a 5-minute figure from hourly data. */
export interface Bounds {
  min: number;
  max: number;
}

/** Groups of uncertain joins longer than this are not bounded (the desktop is read at 5 minutes instead). */
const MAX_UNCERTAIN_RUN = 64;
const SAMPLE = 5 * MINUTE;

/**
 * Lower and upper bounds of what `billableHours(sessionsFrom(5-minute samples))` gives, from the
 * hourly Maximum of the same samples — for every arrangement of 5-minute samples the hourly data
 * allows. A connected hour holds connected samples somewhere in [h, h + 60 min); two connected
 * hours k hours apart leave a disconnect of (k − 1) h to k h + 50 min, so they are certainly one
 * session (below the timeout), certainly two (at least the timeout), or either. Every partition
 * of the uncertain joins is tried (a small dynamic programme per run of uncertain joins) and each
 * session bounded from its first and last hour (and, for AutoStop, from the hours it ran on after
 * the disconnect). Null when a run of uncertain joins is too long to try (read at 5 minutes).
 */
export function billableBounds(
  hourly: HourlyEvidence,
  timeoutMs: number,
): { hours: Bounds; sessions: Bounds } | null {
  const c = hourly.connected;
  if (c.length === 0) return { hours: { min: 0, max: 0 }, sessions: { min: 0, max: 0 } };
  // Chains: connected hours certainly in one session. Between chains: "U" (either) or "S" (certainly split).
  const first: number[] = [c[0]];
  const last: number[] = [c[0]];
  const split: boolean[] = [];
  for (let i = 1; i < c.length; i++) {
    const k = (c[i] - c[i - 1]) / HOUR;
    const gapMin = (k - 1) * HOUR;
    const gapMax = k * HOUR + 50 * MINUTE;
    if (gapMax < timeoutMs) {
      last[last.length - 1] = c[i];
      continue;
    }
    split.push(gapMin >= timeoutMs);
    first.push(c[i]);
    last.push(c[i]);
  }
  const ceilHours = (ms: number) => Math.ceil(ms / HOUR - 1e-9);
  const present = hourly.present;
  const zeros = hourly.zeros;
  // The bounds segment() found last (two numbers, not an object per pair: the DP tries up to 2,080 pairs a run).
  let segMin = 0;
  let segMax = 0;
  /** Bounds of the billable hours of one session from chain j's first hour to chain i's last, into segMin/segMax. */
  const segment = (j: number, i: number): void => {
    const a = first[j];
    const b = last[i];
    const sMax = a + 55 * MINUTE;
    const eMin = b + SAMPLE;
    const eMax = b + HOUR;
    if (!present || !zeros) {
      segMin = ceilHours(Math.max(eMin - sMax, SAMPLE) + timeoutMs);
      segMax = ceilHours(eMax - a + timeoutMs);
      return;
    }
    // AutoStop: billed until the last zero sample within the timeout after the disconnect, at most the timeout.
    const capMin = eMin + timeoutMs;
    const capMax = eMax + timeoutMs;
    let endLo = eMin;
    // A zero hour wholly after the session and before the earliest cap certainly holds a counted zero sample.
    const z = lastBefore(zeros, capMin - 55 * MINUTE);
    if (z !== undefined && z >= b + HOUR) endLo = Math.max(endLo, z + SAMPLE);
    const p = lastBefore(present, capMax);
    const endHi = Math.min(capMax, Math.max(eMax, p !== undefined ? p + HOUR : eMax));
    segMin = ceilHours(Math.max(endLo - sMax, SAMPLE));
    segMax = ceilHours(endHi - a);
  };
  let hoursMin = 0;
  let hoursMax = 0;
  let groups = 0;
  // Each run of chains joined by uncertain links is partitioned into sessions every possible way.
  for (let g0 = 0; g0 < first.length;) {
    let g1 = g0;
    while (g1 < split.length && !split[g1]) g1++;
    const n = g1 - g0 + 1;
    if (n > MAX_UNCERTAIN_RUN) return null;
    const lo = new Array<number>(n + 1).fill(Infinity);
    const hi = new Array<number>(n + 1).fill(-Infinity);
    lo[0] = 0;
    hi[0] = 0;
    for (let i = 1; i <= n; i++) {
      for (let j = 1; j <= i; j++) {
        segment(g0 + j - 1, g0 + i - 1);
        lo[i] = Math.min(lo[i], lo[j - 1] + segMin);
        hi[i] = Math.max(hi[i], hi[j - 1] + segMax);
      }
    }
    hoursMin += lo[n];
    hoursMax += hi[n];
    groups++;
    g0 = g1 + 1;
  }
  return { hours: { min: hoursMin, max: hoursMax }, sessions: { min: groups, max: first.length } };
}

/** The last value below `limit` in an ascending list. */
function lastBefore(sorted: ArrayLike<number>, limit: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}
