/**
 * The value types the simulator's data modules, the region store and the scenario builder share.
 * Imports only AWS SDK types, so any simulator module may use it without an import cycle.
 */
import type { Fleet, Stack } from "@aws-sdk/client-appstream";
import type { Workspace, WorkspaceBundle, WorkspaceDirectory, WorkspacesPool } from "@aws-sdk/client-workspaces";
import type { WorkspaceInstance } from "@aws-sdk/client-workspaces-instances";
import type { Instance } from "@aws-sdk/client-ec2";
import type { Portal } from "@aws-sdk/client-workspaces-web";

/**
 * One region's resources as the data modules read them (data/* never import the region store);
 * RegionEstate implements it.
 */
export interface RegionResources {
  readonly name: string;
  readonly account: string;
  readonly workspaces: ReadonlyMap<string, Workspace>;
  readonly bundles: ReadonlyMap<string, WorkspaceBundle>;
  readonly directories: ReadonlyMap<string, WorkspaceDirectory>;
  readonly pools: ReadonlyMap<string, WorkspacesPool>;
  readonly fleets: ReadonlyMap<string, Fleet>;
  readonly stacks: ReadonlyMap<string, Stack>;
  readonly portals: ReadonlyMap<string, Portal>;
  readonly workspaceInstances: ReadonlyMap<string, WorkspaceInstance>;
  readonly ec2Instances: ReadonlyMap<string, Instance>;
  /** An ARN in this region and account. */
  arn(service: string, resource: string): string;
}

/** The metric's value at sample time `t` (epoch ms on a 5-minute boundary); undefined when nothing was published. */
export type Sampler = ((t: number) => number | undefined) & {
  /**
   * Optional fast path: the day's 5-minute samples from `dayStart` (UTC midnight) as a table, a
   * negative entry = no sample (for metrics that are never negative); null when that day is not
   * tabulated (the function is asked instead). Same values as the function.
   */
  day?: (dayStart: number) => ArrayLike<number> | null;
};

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
