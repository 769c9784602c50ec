/**
 * diagnose_pool: why a WorkSpaces Pool is unhealthy or out of capacity. Capacity is read from
 * CapacityStatus, and the pool's directory gets the shared directory check.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { MetricCatalog, poolDimensions } from "../../aws/metric_catalog.ts";
import { getMetricSeries, metricWindow, summarize } from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, finding, overallStatus, rankFindings, Status } from "../_lib/findings.ts";
import { HOUR } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import {
  headline,
  LookbackHours,
  lookup,
  METRIC_PERIOD_SECONDS,
  notFoundDiagnosis,
  stopWithoutCredentials,
  targetFields,
  targetSchema,
} from "./_diagnosis.ts";
import {
  checkDirectory,
  type DirectoryEvidence,
  directoryFindings,
  DirectorySignals,
  directorySignals,
  FlatDirectorySignals,
  flatDirectorySignals,
} from "./_directory.ts";

type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
type PoolSession = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPoolSessions">["Sessions"]>[number];

/** Pool thresholds. */
const POOL = {
  /** Peak session utilization (%) over the lookback that is worth a warning. */
  highPeakUtilizationPct: 90,
} as const;

const PoolInput = z.object({
  pool_id: z.string().regex(IDS.pool, "must be a WorkSpaces Pool id such as wspool-abc123def").describe(
    "The WorkSpaces Pool id (wspool-…)",
  ),
  region: RegionInput,
  lookback_hours: LookbackHours,
});

const PoolSignals = z.object({
  state: z.string().nullable(),
  running_mode: z.string().nullable(),
  directory_id: z.string().nullable(),
  active_sessions_now: z.number().int().nullable().describe(
    "Live sessions (DescribeWorkspacesPoolSessions); null when not read",
  ),
  connected_sessions_now: z.number().int().nullable(),
  capacity: z.object({
    desired: z.number().int().nullable(),
    actual: z.number().int().nullable(),
    active: z.number().int().nullable(),
    available: z.number().int().nullable(),
  }).describe("From CapacityStatus (user sessions)"),
  pool_errors: z.array(z.object({ code: z.string().nullable(), message: z.string().nullable() })),
  peak_utilization_percent: z.number().nullable().describe(
    "Maximum UserSessionsCapacityUtilization over the lookback; null when CloudWatch has no data or was not read",
  ),
  directory: DirectorySignals.nullable(),
  ...FlatDirectorySignals,
});

const PoolOutput = z.object({
  ...targetSchema("pool"),
  target_id: z.string(),
  region: z.string(),
  lookback_hours: z.number().int(),
  status: Status,
  findings: z.array(Finding),
  signals: PoolSignals,
  errors: Errors,
  notes: Notes,
});

/** Why a WorkSpaces Pool is unhealthy or out of capacity, ranked. */
export const diagnosePool: ToolDef<typeof PoolInput, typeof PoolOutput> = {
  name: "diagnose_pool",
  title: "Diagnose a WorkSpaces Pool",
  toolset: "diagnostics",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "ds:DescribeDirectories",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspacesPoolSessions",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "Why is an Amazon WorkSpaces Pool unhealthy or out of capacity? Checks the pool's state and errors, " +
    "its user-session capacity (desired, actual, active, available), the live sessions right now, its directory's " +
    "health and the peak session utilization in CloudWatch over lookback_hours; returns ranked findings with next " +
    "steps (e.g. raise capacity) and the signals.",
  input: PoolInput,
  output: PoolOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const { aws, signal } = ctx;
    const id = args.pool_id;
    const hours = args.lookback_hours;
    const col = new Collection();
    const o = { region, signal };
    const base = { ...targetFields("pool"), target_id: id, region, lookback_hours: hours };
    const found = await lookup(
      col,
      { service: "workspaces", operation: "DescribeWorkspacesPools", region },
      async () =>
        (await aws.call("workspaces", "DescribeWorkspacesPools", { PoolIds: [id] }, o)).WorkspacesPools
          ?.find((p) => p.PoolId === id),
    );
    stopWithoutCredentials(col, `evidence about pool ${id}`);
    if (found.missing) {
      return notFoundDiagnosis(
        "Pool",
        base,
        finding(
          "warning",
          `Pool ${id} does not exist in ${region}`,
          "DescribeWorkspacesPools returned no pool with this id.",
          "Check the id and the region; list pools with generate_inventory_report.",
          id,
        ),
        poolSignals(undefined, undefined, null, undefined),
        col,
      );
    }
    const pool: Pool | undefined = found.value;
    const window = metricWindow(hours * HOUR, METRIC_PERIOD_SECONDS);
    // AWS's pages name the Pools dimension both "WorkSpaces pool ID" and "Pool": read the one ListMetrics shows.
    const catalog = new MetricCatalog(aws, signal);
    const dimension = (await poolDimensions(catalog, region, [id])).get(id)!;
    col.errors.push(...catalog.errors);
    const [sessions, dir, metrics] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesPoolSessions", region },
        async () =>
          (await collect(aws, "workspaces", "DescribeWorkspacesPoolSessions", { PoolId: id, Limit: 50 }, "Sessions", o))
            .items,
      ),
      pool?.DirectoryId ? checkDirectory(aws, region, pool.DirectoryId, col, signal) : Promise.resolve(undefined),
      getMetricSeries(
        aws,
        region,
        [{
          namespace: "AWS/WorkSpaces",
          metric: "UserSessionsCapacityUtilization",
          dimensions: { [dimension]: id },
          stat: "Maximum",
        }],
        window,
        { signal },
      ),
    ]);
    col.errors.push(...metrics.errors);
    if (metrics.errors.length) col.failIfNothing(`evidence about pool ${id}`);
    const peak = metrics.series[0] ? summarize(metrics.series[0]).peak : null;
    const findings = poolFindings(id, pool, sessions, peak, hours);
    if (dir) findings.push(...directoryFindings(dir));
    const ranked = rankFindings(findings);
    const notes: string[] = [`Pool metrics read with the dimension "${dimension}" (found with ListMetrics).`];
    if (!pool) {
      notes.push("The pool itself could not be read (see errors): status is unknown; other evidence is shown.");
    }
    if (metrics.series[0] && peak === null) {
      notes.push(`CloudWatch has no session utilization for the last ${hours} h (a stopped pool publishes none).`);
    }
    const status: Status = pool ? overallStatus(ranked) : "unknown";
    return {
      summary: headline("Pool", pool?.PoolName ? `${id} (${pool.PoolName})` : id, status, ranked),
      data: {
        ...base,
        status,
        findings: ranked,
        signals: poolSignals(pool, sessions, peak, dir),
        errors: col.errors,
        notes,
      },
    };
  },
};

function poolSignals(
  p: Pool | undefined,
  sessions: PoolSession[] | undefined,
  peak: number | null,
  dir: DirectoryEvidence | undefined,
): z.infer<typeof PoolSignals> {
  // CapacityStatus, not Capacity (the reference read the wrong key and always got null).
  const c = p?.CapacityStatus;
  return {
    state: p?.State ?? null,
    running_mode: p?.RunningMode ?? null,
    directory_id: p?.DirectoryId ?? null,
    active_sessions_now: sessions?.length ?? null,
    connected_sessions_now: sessions ? sessions.filter((s) => s.ConnectionState === "CONNECTED").length : null,
    capacity: {
      desired: c?.DesiredUserSessions ?? null,
      actual: c?.ActualUserSessions ?? null,
      active: c?.ActiveUserSessions ?? null,
      available: c?.AvailableUserSessions ?? null,
    },
    pool_errors: (p?.Errors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    peak_utilization_percent: peak,
    directory: dir ? directorySignals(dir) : null,
    ...flatDirectorySignals(dir ? directorySignals(dir) : undefined),
  };
}

/** Rules of REFERENCE item 10, plus a high-peak warning and the live sessions. */
function poolFindings(
  id: string,
  p: Pool | undefined,
  sessions: PoolSession[] | undefined,
  peak: number | null,
  hours: number,
): Finding[] {
  const out: Finding[] = [];
  if (!p) return out;
  const state = p.State ?? "UNKNOWN";
  if (state === "STOPPED") {
    out.push(finding(
      "warning",
      "Pool is STOPPED",
      "A stopped pool has no session capacity: users cannot start sessions.",
      "Start it (start_workspaces_pool) if users need it now.",
      id,
    ));
  } else if (state === "STARTING" || state === "STOPPING" || state === "UPDATING") {
    out.push(finding("info", `Pool is ${state}`, `The pool is ${state}.`, "Wait for it to finish.", id));
  } else if (state === "RUNNING") {
    out.push(finding("info", "Pool is RUNNING", "The pool is running.", "Nothing to do.", id));
  }
  for (const e of p.Errors ?? []) {
    out.push(finding(
      "critical",
      `Pool error ${e.ErrorCode ?? "UNKNOWN"}`,
      e.ErrorMessage ?? "No message.",
      "Act on the error (bundle/image, directory, subnets with free IP addresses, IAM role or quotas), then update " +
        "or restart the pool.",
      id,
    ));
  }
  const c = p.CapacityStatus;
  const desired = c?.DesiredUserSessions ?? 0;
  const actual = c?.ActualUserSessions ?? 0;
  const active = c?.ActiveUserSessions ?? 0;
  const available = c?.AvailableUserSessions ?? 0;
  const atCapacity = available === 0 && active > 0 && active >= actual;
  if (atCapacity) {
    out.push(finding(
      "critical",
      "Pool is at capacity",
      `All ${actual} user sessions are in use (active ${active}, available ${available}, desired ${desired})` +
        `${sessions ? `; ${sessions.length} live sessions right now` : ""}. New users cannot start a session.`,
      "Raise capacity: increase the pool's desired user sessions (update_workspaces_pool_capacity) or its " +
        "auto-scaling maximum, and check that new sessions can launch (pool errors, quotas).",
      id,
    ));
  }
  if (state !== "STOPPED" && actual < desired) {
    out.push(finding(
      "warning",
      `Only ${actual} of ${desired} desired user sessions are provisioned`,
      `Desired ${desired}, actual ${actual}, active ${active}, available ${available}.`,
      "Normal shortly after a capacity change; if it persists, check the pool errors, the WorkSpaces Pools " +
        "service quotas and free IP addresses in the pool's subnets.",
      id,
    ));
  }
  if (!atCapacity && peak !== null && peak >= POOL.highPeakUtilizationPct) {
    out.push(finding(
      "warning",
      `Session utilization peaked at ${peak}% in ${hours} h`,
      `CloudWatch UserSessionsCapacityUtilization (Maximum) reached ${peak}% over the last ${hours} h.`,
      "The pool nearly ran out of sessions: raise capacity or the scaling maximum before users are turned away.",
      id,
    ));
  }
  return out;
}
