/**
 * The value types the simulator's data modules, the region store and the scenario builder share.
 * Imports nothing, so any module may use it without an import cycle.
 */

/** The metric's value at sample time `t` (epoch ms on a 5-minute boundary); undefined when nothing was published. */
export type Sampler = (t: number) => number | undefined;

/** How a simulated user uses a desktop; every field has a sensible default. */
export interface UsageProfile {
  /** Hours connected on each active day (0 = never connects). Default 8. */
  hoursPerDay?: number;
  /** Active days: every day, Monday–Friday (UTC), or explicit days ago (0 = today). Default "weekdays". */
  days?: "daily" | "weekdays" | readonly number[];
  /** UTC hour the day's session starts. Default 8. */
  startHour?: number;
  /** A disconnect of this many minutes in the middle of each day's session (then the user reconnects). */
  breakMinutes?: number;
  /** No activity more recent than this many days ago (e.g. 30: the user left a month ago). */
  idleForDays?: number;
  /** CPU % while connected: typical and the highest spike. Default 25 / 60. */
  cpu?: { average: number; peak: number };
  /** Memory % while connected. Default 40 / 65. */
  memory?: { average: number; peak: number };
  /** Failed connection attempts per active day (at session start). */
  failuresPerDay?: number;
  /** Round-trip latency in ms while connected. Default 60. */
  latencyMs?: number;
}

/** A change to one built-in quota. */
export interface QuotaOverride {
  value?: number;
  adjustable?: boolean;
  /** The AWS/Usage ResourceCount to publish; null publishes nothing. Default: counted from the estate. */
  usage?: number | null;
}
