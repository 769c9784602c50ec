/**
 * Which AWS/AppStream metrics a fleet publishes, by kind: single-session fleets the instance
 * capacity metrics; multi-session fleets (MaxSessionsPerInstance > 1) the user-session capacity
 * metrics; Elastic fleets only InUseCapacity and InsufficientCapacityError (AWS's AppStream
 * monitoring page). Reading the wrong set gives empty series, which must never read as idle.
 */

/** How a fleet is provisioned, as far as its metrics go. */
export type FleetKind = "single_session" | "multi_session" | "elastic";

/** A metric of a fleet with its unit. */
export interface FleetMetricSpec {
  readonly metric: string;
  readonly unit: string;
}

/** The fleet's kind from DescribeFleets. */
export function fleetKind(f: { FleetType?: string; MaxSessionsPerInstance?: number } | undefined): FleetKind {
  if (f?.FleetType === "ELASTIC") return "elastic";
  return (f?.MaxSessionsPerInstance ?? 1) > 1 ? "multi_session" : "single_session";
}

/** The usage metrics each kind publishes: `inUse` is what "someone used it" is read from, `capacity` what ran. */
export const FLEET_METRICS: Readonly<
  Record<FleetKind, { inUse: string; capacity: string | null; utilization: string | null; all: FleetMetricSpec[] }>
> = {
  single_session: {
    inUse: "InUseCapacity",
    capacity: "RunningCapacity",
    utilization: "CapacityUtilization",
    all: [
      { metric: "InUseCapacity", unit: "count" },
      { metric: "CapacityUtilization", unit: "%" },
      { metric: "ActualCapacity", unit: "count" },
      { metric: "AvailableCapacity", unit: "count" },
      { metric: "RunningCapacity", unit: "count" },
      { metric: "DesiredCapacity", unit: "count" },
      { metric: "PendingCapacity", unit: "count" },
    ],
  },
  multi_session: {
    inUse: "ActiveUserSessionCapacity",
    capacity: "ActualUserSessionCapacity",
    utilization: null,
    all: [
      { metric: "ActiveUserSessionCapacity", unit: "count" },
      { metric: "ActualUserSessionCapacity", unit: "count" },
      { metric: "AvailableUserSessionCapacity", unit: "count" },
      { metric: "DesiredUserSessionCapacity", unit: "count" },
      { metric: "PendingUserSessionCapacity", unit: "count" },
      { metric: "RunningCapacity", unit: "count" },
      { metric: "DesiredCapacity", unit: "count" },
    ],
  },
  elastic: {
    inUse: "InUseCapacity",
    capacity: null,
    utilization: null,
    all: [{ metric: "InUseCapacity", unit: "count" }, { metric: "InsufficientCapacityError", unit: "count" }],
  },
};
