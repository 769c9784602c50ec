/**
 * CloudWatch ListMetrics (same awsJson1_0 protocol as GetMetricData): the metrics that have data in
 * the last two weeks, filtered by namespace, metric name and dimensions (a dimension filter without
 * a value matches any value), 500 per page behind NextToken — as AWS documents. A metric is listed
 * when its sampler publishes anything in that window, so the catalogue follows the same rules as
 * the data (an unpublished metric is neither listed nor readable).
 */
import type { ListMetricsOutput, Metric } from "@aws-sdk/client-cloudwatch";
import type { RegionEstate } from "../region.ts";
import { POOL_DIMENSION, samplerFor } from "../data/metrics.ts";
import { ALT_POOL_DIMENSION } from "../providers/published.ts";
import { compact, type OpContext, optString, paginate, SimError } from "./common.ts";

const PAGE = 500;
const HOUR = 3_600_000;
const LISTED_DAYS = 14;

/** Metric names the simulator can derive, per kind of resource (explicit series are listed as registered). */
const CANDIDATES = {
  workspace: [
    "UserConnected",
    "CPUUsage",
    "MemoryUsage",
    "InSessionLatency",
    "ConnectionAttempt",
    "ConnectionSuccess",
    "ConnectionFailure",
    "SessionLaunchTime",
    "RootVolumeDiskUsage",
    "UserVolumeDiskUsage",
    "UpTime",
  ],
  pool: [
    "DesiredUserSessionCapacity",
    "ActualUserSessionCapacity",
    "ActiveUserSessionCapacity",
    "AvailableUserSessionCapacity",
    "PendingUserSessionCapacity",
    "UserSessionsCapacityUtilization",
  ],
  fleet: [
    "DesiredCapacity",
    "RunningCapacity",
    "InUseCapacity",
    "AvailableCapacity",
    "ActualCapacity",
    "PendingCapacity",
    "CapacityUtilization",
    "InsufficientCapacityError",
    "ActiveUserSessionCapacity",
    "ActualUserSessionCapacity",
    "AvailableUserSessionCapacity",
    "DesiredUserSessionCapacity",
    "PendingUserSessionCapacity",
    "SessionCapacityUtilization",
  ],
} as const;

type Candidate = { namespace: string; metric: string; dims: Record<string, string> };

function candidates(region: RegionEstate): Candidate[] {
  const out: Candidate[] = [];
  for (const id of region.workspaces.keys()) {
    for (const metric of CANDIDATES.workspace) {
      out.push({ namespace: "AWS/WorkSpaces", metric, dims: { WorkspaceId: id } });
    }
  }
  for (const id of region.pools.keys()) {
    for (const name of [POOL_DIMENSION, ALT_POOL_DIMENSION]) {
      for (const metric of CANDIDATES.pool) out.push({ namespace: "AWS/WorkSpaces", metric, dims: { [name]: id } });
    }
  }
  for (const name of region.fleets.keys()) {
    for (const metric of CANDIDATES.fleet) out.push({ namespace: "AWS/AppStream", metric, dims: { Fleet: name } });
  }
  for (const key of region.metricSeries.keys()) {
    const [namespace, metric, dimText] = key.split("|");
    const dims: Record<string, string> = {};
    for (const pair of dimText ? dimText.split(",") : []) {
      const at = pair.indexOf("=");
      dims[pair.slice(0, at)] = pair.slice(at + 1);
    }
    out.push({ namespace, metric, dims });
  }
  return out;
}

function publishedRecently(region: RegionEstate, c: Candidate, now: number): boolean {
  const sampler = samplerFor(region, c.namespace, c.metric, c.dims, now);
  if (!sampler) return false;
  const last = Math.floor(now / HOUR) * HOUR;
  for (let t = last; t > now - LISTED_DAYS * 24 * HOUR; t -= HOUR) if (sampler(t) !== undefined) return true;
  return false;
}

function listMetrics(ctx: OpContext): ListMetricsOutput {
  const { input, region } = ctx;
  const namespace = optString(input, "Namespace", "InvalidParameterValue");
  const metricName = optString(input, "MetricName", "InvalidParameterValue");
  const filters = (input.Dimensions ?? []) as { Name?: string; Value?: string }[];
  if (!Array.isArray(filters) || filters.length > 10) {
    throw new SimError("InvalidParameterValue", "The collection Dimensions must not have a size greater than 10.");
  }
  if (filters.some((f) => !f.Name)) throw new SimError("InvalidParameterValue", "A dimension filter needs a Name.");
  const now = Date.now();
  const seen = new Set<string>();
  const items: Metric[] = [];
  for (const c of candidates(region)) {
    if (namespace !== undefined && c.namespace !== namespace) continue;
    if (metricName !== undefined && c.metric !== metricName) continue;
    if (!filters.every((f) => f.Name! in c.dims && (f.Value === undefined || c.dims[f.Name!] === f.Value))) continue;
    const key = `${c.namespace}|${c.metric}|${JSON.stringify(Object.entries(c.dims).sort())}`;
    if (seen.has(key) || !publishedRecently(region, c, now)) continue;
    seen.add(key);
    items.push({
      Namespace: c.namespace,
      MetricName: c.metric,
      Dimensions: Object.entries(c.dims).map(([Name, Value]) => ({ Name, Value })),
    });
  }
  const page = paginate(items, {
    operation: "ListMetrics",
    token: optString(input, "NextToken"),
    size: PAGE,
    invalidTokenCode: "InvalidNextToken",
  });
  return compact({ Metrics: page.items, NextToken: page.nextToken });
}

/** ListMetrics, for the CloudWatch operations table. */
export const listMetricsOperation = { ListMetrics: listMetrics };
