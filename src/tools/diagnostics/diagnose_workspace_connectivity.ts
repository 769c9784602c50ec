/**
 * diagnose_workspace_connectivity: why a user cannot connect to a WorkSpaces Personal desktop. The
 * id is validated before any call, snapshots are read once, and the connection metrics come in one
 * GetMetricData request (through the batcher).
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow, summarize } from "../../aws/metrics.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, finding, overallStatus, rankFindings, Status } from "../_lib/findings.ts";
import { DAY, HOUR, iso, plural } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { connectionMetricsUnpublished } from "../_lib/published.ts";
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
import { checkDirectory, type DirectoryEvidence, directoryFindings, directorySignals } from "./_directory.ts";

type Workspace = NonNullable<OpOutput<"workspaces", "DescribeWorkspaces">["Workspaces"]>[number];
type ConnectionStatus = NonNullable<
  OpOutput<"workspaces", "DescribeWorkspacesConnectionStatus">["WorkspacesConnectionStatus"]
>[number];
type Snapshots = OpOutput<"workspaces", "DescribeWorkspaceSnapshots">;

/** Connectivity thresholds: the policy in one place. */
const CONNECTION = {
  /** A failure ratio at or above this (with enough attempts) is critical, not just a warning. */
  criticalFailureRatio: 0.5,
  /** Attempts needed before the ratio means anything. */
  minAttemptsForRatio: 3,
  /** Days without a connection after which the last connection is worth a mention. */
  staleDays: 14,
} as const;

/** The newest time in a list of snapshots. */
function latestSnapshot(list: { SnapshotTime?: Date }[] | undefined): Date | undefined {
  let best: Date | undefined;
  for (const s of list ?? []) if (s.SnapshotTime && (!best || s.SnapshotTime > best)) best = s.SnapshotTime;
  return best;
}

const ConnectivityInput = z.object({
  workspace_id: z.string().regex(IDS.workspace, "must be a WorkSpaces id such as ws-abc12345").describe(
    "The WorkSpaces Personal desktop id (ws-…)",
  ),
  region: RegionInput,
  lookback_hours: LookbackHours,
});

const ConnectivitySignals = z.object({
  state: z.string().nullable(),
  user_name: z.string().nullable(),
  computer_name: z.string().nullable(),
  ip_address: z.string().nullable(),
  directory_id: z.string().nullable(),
  compute_type: z.string().nullable(),
  running_mode: z.string().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  connection_state: z.string().nullable().describe("CONNECTED, DISCONNECTED or UNKNOWN (not running)"),
  last_known_user_connection: z.string().nullable().describe("ISO time; null = never connected (or not read)"),
  days_since_last_connection: z.number().nullable(),
  last_restore_snapshot: z.string().nullable(),
  last_rebuild_snapshot: z.string().nullable(),
  directory_registration_state: z.string().nullable(),
  directory_type: z.string().nullable(),
  directory_workspace_type: z.string().nullable(),
  directory_stage: z.string().nullable(),
  directory_stage_reason: z.string().nullable(),
  connection_attempts: z.number().nullable().describe("Sum over the lookback; null when CloudWatch could not be read"),
  connection_failures: z.number().nullable(),
  failure_ratio: z.number().nullable(),
  protocols: z.array(z.string()).nullable().describe("Streaming protocols (WorkspaceProperties.Protocols)"),
  connection_metrics_not_published: z.string().nullable().describe(
    "Why ConnectionAttempt/Failure are not published for this desktop (PCoIP-only metrics); null when they are",
  ),
});

const ConnectivityOutput = z.object({
  ...targetSchema("workspace"),
  target_id: z.string(),
  region: z.string(),
  lookback_hours: z.number().int(),
  status: Status.describe("healthy / degraded / unhealthy from the worst finding; not_found; unknown = lookup failed"),
  findings: z.array(Finding).describe("Ranked critical first"),
  signals: ConnectivitySignals.describe("The values the findings were made from"),
  errors: Errors,
  notes: Notes,
});

const STATE_ADVICE: Readonly<Record<string, string>> = {
  ERROR: "Read the error code and message: a domain-join or provisioning failure needs the directory fixed first. " +
    "Then restore it from its last snapshot (restore_workspace) or rebuild it (rebuild_workspaces).",
  UNHEALTHY: "Reboot it (reboot_workspaces). If it stays UNHEALTHY, restore it from its last snapshot " +
    "(restore_workspace) or rebuild it (rebuild_workspaces; the user volume is kept).",
  IMPAIRED: "Reboot it (reboot_workspaces); if it stays IMPAIRED, restore it from its last snapshot " +
    "(restore_workspace).",
  STOPPED: "An AutoStop desktop starts when the user signs in from the client (allow a couple of minutes). " +
    "If that fails, start it yourself (start_workspaces) and check the state again.",
  SUSPENDED: "Start it (start_workspaces); if it does not leave SUSPENDED, reboot it or open an AWS Support case.",
};

/** Why a user cannot connect: desktop state, connection status, failures, directory and snapshots, ranked. */
export const diagnoseWorkspaceConnectivity: ToolDef<typeof ConnectivityInput, typeof ConnectivityOutput> = {
  name: "diagnose_workspace_connectivity",
  title: "Diagnose a WorkSpace's connectivity",
  toolset: "diagnostics",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "ds:DescribeDirectories",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaceSnapshots",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "Why can't a user connect to a WorkSpaces Personal desktop? Correlates the desktop's state and " +
    "error, its live connection status and last connection, CloudWatch connection attempts and failures over " +
    "lookback_hours, its directory's registration and Directory Service health, and the snapshots available for " +
    "a restore; returns ranked findings with the next step for each and the signals used.",
  input: ConnectivityInput,
  output: ConnectivityOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    return await diagnoseConnectivity(ctx.aws, region, args.workspace_id, args.lookback_hours, ctx.signal);
  },
};

async function diagnoseConnectivity(aws: Aws, region: string, id: string, lookbackHours: number, signal: AbortSignal) {
  const col = new Collection();
  const o = { region, signal };
  const ws = await lookup(
    col,
    { service: "workspaces", operation: "DescribeWorkspaces", region },
    async () =>
      (await aws.call("workspaces", "DescribeWorkspaces", { WorkspaceIds: [id] }, o)).Workspaces
        ?.find((w) => w.WorkspaceId === id),
  );
  stopWithoutCredentials(col, `evidence about ${id}`);
  const base = { ...targetFields("workspace"), target_id: id, region, lookback_hours: lookbackHours };
  if (ws.missing) {
    return notFoundDiagnosis(
      "WorkSpace",
      base,
      finding(
        "warning",
        `WorkSpace ${id} does not exist in ${region}`,
        "DescribeWorkspaces returned no desktop with this id.",
        "Check the id and the region (desktops are regional); list desktops with generate_inventory_report.",
        id,
      ),
      emptyConnectivitySignals(),
      col,
    );
  }
  const w: Workspace | undefined = ws.value;
  const directoryId = w?.DirectoryId;
  const window = metricWindow(lookbackHours * HOUR, METRIC_PERIOD_SECONDS);
  const queries: MetricQuery[] = ["ConnectionAttempt", "ConnectionFailure"].map((metric) => ({
    namespace: "AWS/WorkSpaces",
    metric,
    dimensions: { WorkspaceId: id },
    stat: "Sum",
  }));
  const [conn, snaps, dir, metrics] = await Promise.all([
    col.attempt(
      { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region },
      async () =>
        (await aws.call("workspaces", "DescribeWorkspacesConnectionStatus", { WorkspaceIds: [id] }, o))
          .WorkspacesConnectionStatus?.find((c) => c.WorkspaceId === id),
    ),
    // Read once (the reference called it twice); a failure is reported like any other.
    col.attempt(
      { service: "workspaces", operation: "DescribeWorkspaceSnapshots", region },
      () => aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: id }, o),
    ),
    directoryId ? checkDirectory(aws, region, directoryId, col, signal) : Promise.resolve(undefined),
    getMetricSeries(aws, region, queries, window, { signal }),
  ]);
  col.errors.push(...metrics.errors);
  // Everything failed (e.g. expired credentials): an isError result rather than an empty diagnosis.
  if (metrics.errors.length) col.failIfNothing(`evidence about ${id}`);
  // PCoIP-only metrics read as silence on a DCV (WSP) desktop: unknown, never zero.
  const unpublished = connectionMetricsUnpublished(w?.WorkspaceProperties?.Protocols);
  const attempts = metrics.series[0] && !unpublished ? summarize(metrics.series[0]).sum ?? 0 : null;
  const failures = metrics.series[1] && !unpublished ? summarize(metrics.series[1]).sum ?? 0 : null;
  const dirFindings = dir ? directoryFindings(dir) : [];
  const dirProblem = dirFindings.find((f) => f.severity === "critical");
  const findings = connectivityFindings(id, w, conn, snaps, failures, attempts, lookbackHours, dirProblem);
  findings.push(...dirFindings);
  const ranked = rankFindings(findings);
  const signals = connectivitySignals(w, conn, snaps, dir, attempts, failures);
  const notes: string[] = [];
  if (!w) notes.push("The desktop itself could not be read (see errors): status is unknown; other evidence is shown.");
  if (unpublished) notes.push(`Connection metrics (ConnectionAttempt, ConnectionFailure) are ${unpublished}.`);
  else if (attempts === 0 && failures === 0) {
    notes.push(`No connection attempts were recorded in the last ${lookbackHours} h (CloudWatch).`);
  }
  const status: Status = w ? overallStatus(ranked) : "unknown";
  return {
    summary: headline("WorkSpace", w?.UserName ? `${id} (${w.UserName})` : id, status, ranked),
    data: { ...base, status, findings: ranked, signals, errors: col.errors, notes },
  };
}

function emptyConnectivitySignals(): z.infer<typeof ConnectivitySignals> {
  return connectivitySignals(undefined, undefined, undefined, undefined, null, null);
}

function connectivitySignals(
  w: Workspace | undefined,
  conn: ConnectionStatus | undefined,
  snaps: Snapshots | undefined,
  dir: DirectoryEvidence | undefined,
  attempts: number | null,
  failures: number | null,
): z.infer<typeof ConnectivitySignals> {
  const p = w?.WorkspaceProperties;
  const last = conn?.LastKnownUserConnectionTimestamp;
  const d = dir ? directorySignals(dir) : undefined;
  return {
    state: w?.State ?? null,
    user_name: w?.UserName ?? null,
    computer_name: w?.ComputerName ?? null,
    ip_address: w?.IpAddress ?? null,
    directory_id: w?.DirectoryId ?? null,
    compute_type: p?.ComputeTypeName ?? null,
    running_mode: p?.RunningMode ?? null,
    error_code: w?.ErrorCode ?? null,
    error_message: w?.ErrorMessage ?? null,
    connection_state: conn?.ConnectionState ?? null,
    last_known_user_connection: iso(last),
    days_since_last_connection: last ? Math.floor((Date.now() - last.getTime()) / DAY) : null,
    last_restore_snapshot: iso(latestSnapshot(snaps?.RestoreSnapshots)),
    last_rebuild_snapshot: iso(latestSnapshot(snaps?.RebuildSnapshots)),
    directory_registration_state: d?.registration_state ?? null,
    directory_type: d?.directory_type ?? null,
    directory_workspace_type: d?.workspace_type ?? null,
    directory_stage: d?.stage ?? null,
    directory_stage_reason: d?.stage_reason ?? null,
    connection_attempts: attempts,
    connection_failures: failures,
    failure_ratio: attempts && failures !== null ? Math.round((failures / attempts) * 1000) / 1000 : null,
    protocols: p?.Protocols ?? null,
    connection_metrics_not_published: connectionMetricsUnpublished(p?.Protocols),
  };
}

/** Rules of REFERENCE item 7, plus connection history, the desktop's error and restore points. */
function connectivityFindings(
  id: string,
  w: Workspace | undefined,
  conn: ConnectionStatus | undefined,
  snaps: Snapshots | undefined,
  failures: number | null,
  attempts: number | null,
  lookbackHours: number,
  directoryProblem: Finding | undefined,
): Finding[] {
  const out: Finding[] = [];
  const state = w?.State;
  const error = w?.ErrorCode || w?.ErrorMessage
    ? `${w?.ErrorCode ?? "error"}${w?.ErrorMessage ? `: ${w.ErrorMessage}` : ""}`
    : undefined;
  let troubled = false;
  if (state === "ERROR" || state === "UNHEALTHY" || state === "IMPAIRED") {
    troubled = true;
    out.push(finding(
      "critical",
      `WorkSpace is ${state}`,
      `The desktop's state is ${state}${error ? ` (${error})` : ""}; users cannot connect until it is AVAILABLE.`,
      state === "ERROR" && snaps && !latestSnapshot(snaps.RestoreSnapshots)
        ? "Read the error code and message: a domain-join or provisioning failure needs the directory (DNS, " +
          "service account, subnets) fixed first. It has no snapshot to restore, so terminate and recreate it " +
          "once the cause is fixed."
        : STATE_ADVICE[state],
      id,
    ));
  } else if (state === "STOPPED" || state === "SUSPENDED") {
    troubled = true;
    out.push(finding(
      "warning",
      `WorkSpace is ${state}`,
      `The desktop is ${state} (running mode ${w?.WorkspaceProperties?.RunningMode ?? "unknown"}); it must resume ` +
        "before the user can connect.",
      STATE_ADVICE[state],
      id,
    ));
  } else if (state === "AVAILABLE") {
    out.push(
      finding(
        "info",
        "WorkSpace is AVAILABLE",
        "The desktop is running and ready for connections.",
        "Nothing to do.",
        id,
      ),
    );
  } else if (state) {
    out.push(finding(
      "info",
      `WorkSpace is ${state} (transitional)`,
      `The desktop is ${state}; connections fail until the operation finishes.`,
      "Wait a few minutes and diagnose again; if it stays in this state for more than an hour, open an AWS Support case.",
      id,
    ));
  }
  if (error && state !== "ERROR") {
    out.push(finding(
      "warning",
      "WorkSpaces reports an error on this desktop",
      error,
      "The last operation on the desktop failed; act on the error message (often a directory or network issue).",
      id,
    ));
  }
  if (conn) {
    const last = conn.LastKnownUserConnectionTimestamp;
    if (conn.ConnectionState === "CONNECTED") {
      out.push(finding(
        "info",
        "A user is connected right now",
        `Connection state CONNECTED${last ? ` (last connection ${iso(last)})` : ""}.`,
        "The desktop accepts connections; if the user still has trouble, check their client and network.",
        id,
      ));
    } else if (!last) {
      out.push(finding(
        "warning",
        "No user has ever connected to this WorkSpace",
        `Connection state ${conn.ConnectionState ?? "UNKNOWN"}; there is no last known connection.`,
        "Check that the user completed registration (the invitation email and the directory's registration code " +
          "in the client) and can sign in with their directory credentials.",
        id,
      ));
    } else {
      const days = Math.floor((Date.now() - last.getTime()) / DAY);
      if (days >= CONNECTION.staleDays) {
        out.push(finding(
          "info",
          `Last connection ${days} days ago`,
          `Connection state ${conn.ConnectionState ?? "UNKNOWN"}; the last known connection was ${iso(last)}.`,
          "If the user has been away this is expected; otherwise ask when and from which client they last tried.",
          id,
        ));
      }
    }
  }
  if (failures !== null && failures > 0) {
    const ratio = attempts ? failures / attempts : 1;
    const critical = ratio >= CONNECTION.criticalFailureRatio && (attempts ?? 0) >= CONNECTION.minAttemptsForRatio;
    out.push(finding(
      critical ? "critical" : "warning",
      critical
        ? `Most connection attempts fail (${failures} of ${attempts} in ${lookbackHours} h)`
        : `${plural(failures, "connection failure")} in ${lookbackHours} h (${failures}/${attempts ?? "?"} attempts)`,
      `CloudWatch ConnectionFailure ${failures}, ConnectionAttempt ${attempts ?? "unknown"} over the last ` +
        `${lookbackHours} h (failure ratio ${Math.round(ratio * 100)}%).`,
      (directoryProblem
        ? `Likely cause: ${directoryProblem.title} — sign-ins fail while the directory cannot authenticate; fix ` +
          "that first. Otherwise check "
        : "Check ") +
        "the user's credentials (expired or locked password, MFA), the client version, and that the client " +
        "network allows the streaming ports (WSP: TCP/UDP 4195; PCoIP: TCP/UDP 4172) to the WorkSpaces gateways.",
      id,
    ));
  }
  const restore = latestSnapshot(snaps?.RestoreSnapshots);
  if (troubled && snaps) {
    if (restore) {
      out.push(finding(
        "info",
        "A restore snapshot is available",
        `Latest restore point ${iso(restore)} (root and user volumes); rebuild point ${
          iso(latestSnapshot(snaps.RebuildSnapshots)) ?? "none"
        }.`,
        "If a reboot does not help, restore_workspace returns the desktop to that point (changes since are lost).",
        id,
      ));
    } else {
      out.push(finding(
        "info",
        "No snapshot to restore from",
        "WorkSpaces has no restore or rebuild snapshot of this desktop (it may never have run).",
        "A restore is not possible: fix the cause (e.g. the directory) and rebuild or recreate the desktop.",
        id,
      ));
    }
  }
  return out;
}
