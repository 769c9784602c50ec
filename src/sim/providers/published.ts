/**
 * What real AWS publishes and what it does not, for the simulator's CloudWatch: the connection
 * metrics exist for PCoIP desktops only; multi-session fleets publish session-capacity metrics
 * instead of instance-capacity ones; Elastic fleets publish only InUseCapacity and
 * InsufficientCapacityError; a pool tagged `sim:metric-dimension=Pool` publishes under the `Pool`
 * dimension instead of `WorkSpaces pool ID` (AWS's pages show both). Registered ahead of the
 * estate's providers, so an unpublished metric is an empty series rather than a derived one.
 */
import { type MetricProvider, POOL_DIMENSION, PROVIDERS } from "../data/metrics.ts";
import type { Sampler } from "../types.ts";

/** The tag that makes a simulated pool publish under another dimension name (no estate option for it yet). */
export const POOL_DIMENSION_TAG = "sim:metric-dimension";

/** The alternative Pools dimension name some AWS pages use. */
export const ALT_POOL_DIMENSION = "Pool";

const NOTHING: Sampler = () => undefined;

/** Connection metrics AWS documents as emitted for PCoIP WorkSpaces only. */
const PCOIP_ONLY = new Set(["ConnectionAttempt", "ConnectionSuccess", "ConnectionFailure"]);

/** Metrics a multi-session fleet publishes in place of the per-instance ones (unverified beyond AWS's docs). */
const INSTANCE_ONLY = new Set(["InUseCapacity", "AvailableCapacity", "ActualCapacity", "CapacityUtilization"]);

/** The only metrics an Elastic fleet publishes. */
const ELASTIC_PUBLISHES = new Set(["InUseCapacity", "InsufficientCapacityError"]);

const connectionMetrics: MetricProvider = (region, namespace, metric, dims) => {
  if (namespace !== "AWS/WorkSpaces" || !PCOIP_ONLY.has(metric) || !dims.WorkspaceId) return undefined;
  const ws = region.workspaces.get(dims.WorkspaceId);
  const protocols = ws?.WorkspaceProperties?.Protocols ?? [];
  return ws && !protocols.includes("PCOIP") ? NOTHING : undefined;
};

const fleetMetrics: MetricProvider = (region, namespace, metric, dims) => {
  if (namespace !== "AWS/AppStream" || Object.keys(dims).length !== 1 || !dims.Fleet) return undefined;
  const fleet = region.fleets.get(dims.Fleet);
  if (!fleet) return undefined;
  if (fleet.FleetType === "ELASTIC") return ELASTIC_PUBLISHES.has(metric) ? undefined : NOTHING;
  if ((fleet.MaxSessionsPerInstance ?? 1) <= 1) return undefined;
  if (INSTANCE_ONLY.has(metric)) return NOTHING;
  const live = () => {
    if (fleet.State === "STOPPED") return undefined;
    const c = fleet.ComputeCapacityStatus;
    const actual = c?.ActualUserSessions ?? 0;
    const active = c?.ActiveUserSessions ?? 0;
    return {
      desired: c?.DesiredUserSessions ?? 0,
      actual,
      active,
      available: c?.AvailableUserSessions ?? Math.max(0, actual - active),
    };
  };
  const of = (pick: (c: NonNullable<ReturnType<typeof live>>) => number): Sampler => () => {
    const c = live();
    return c === undefined ? undefined : pick(c);
  };
  switch (metric) {
    case "ActiveUserSessionCapacity":
      return of((c) => c.active);
    case "ActualUserSessionCapacity":
      return of((c) => c.actual);
    case "AvailableUserSessionCapacity":
      return of((c) => c.available);
    case "DesiredUserSessionCapacity":
      return of((c) => c.desired);
    case "PendingUserSessionCapacity":
      return of((c) => Math.max(0, c.desired - c.actual));
    case "SessionCapacityUtilization":
      return of((c) => (c.actual > 0 ? Math.round((c.active / c.actual) * 1000) / 10 : 0));
    default:
      return undefined;
  }
};

/** Pools tagged to publish under `Pool`: answer that name from the pool provider, and nothing under the usual one. */
const poolDimension: MetricProvider = (region, namespace, metric, dims, now) => {
  if (namespace !== "AWS/WorkSpaces" || Object.keys(dims).length !== 1) return undefined;
  const id = dims[POOL_DIMENSION] ?? dims[ALT_POOL_DIMENSION];
  if (!id || !region.pools.has(id)) return undefined;
  const wanted = region.tags.get(id)?.find((t) => t.Key === POOL_DIMENSION_TAG)?.Value ?? POOL_DIMENSION;
  const asked = dims[POOL_DIMENSION] !== undefined ? POOL_DIMENSION : ALT_POOL_DIMENSION;
  if (asked !== wanted) return NOTHING;
  if (asked === POOL_DIMENSION) return undefined; // the estate's own pool provider answers
  for (const p of PROVIDERS) {
    if (p === poolDimension) continue;
    const s = p(region, namespace, metric, { [POOL_DIMENSION]: id }, now);
    if (s) return s;
  }
  return undefined;
};

const OURS = [connectionMetrics, fleetMetrics, poolDimension];
// Idempotent: a second import must not register twice.
if (!PROVIDERS.includes(connectionMetrics)) PROVIDERS.unshift(...OURS);
