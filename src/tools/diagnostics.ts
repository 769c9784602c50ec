/**
 * The diagnostics toolset: why a desktop, pool, fleet or directory is unhealthy, and which EUC
 * alarms fire. Each diagnosis gathers its evidence best effort (one failing sub-call is an entry in
 * `errors`, never a crash), turns it into ranked findings with a plain next step, and keeps the
 * values it used in `signals`.
 *
 * Improvements over the reference: ids validated before any call; one GetMetricData request per
 * diagnosis (through the batcher); snapshots read once; scaling activities paginated and limited
 * to the lookback window, with only Failed/Unfulfilled counted as failures; pool capacity read from
 * CapacityStatus; directories listed with pagination and Directory Service asked once for all of
 * them (never for WorkSpaces-managed `wsd-` ids); target-tracking alarms recognised as auto-scaling;
 * alarms fanned out over regions.
 */
import { z } from "zod";
import { type Aws, AwsCallError, type OpOutput } from "../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow, summarize } from "../aws/metrics.ts";
import { collect, mapLimit, pages } from "../aws/paginate.ts";
import { PRODUCT } from "../names.ts";
import { Collection } from "./_lib/collection.ts";
import { Finding, finding, overallStatus, rankFindings, severityCounts, Status } from "./_lib/findings.ts";
import type { Directory } from "../aws/listing.ts";
import { READ_ONLY, type ToolDef } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";

type Workspace = NonNullable<OpOutput<"workspaces", "DescribeWorkspaces">["Workspaces"]>[number];
type ConnectionStatus = NonNullable<
  OpOutput<"workspaces", "DescribeWorkspacesConnectionStatus">["WorkspacesConnectionStatus"]
>[number];
type Snapshots = OpOutput<"workspaces", "DescribeWorkspaceSnapshots">;
type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
type PoolSession = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPoolSessions">["Sessions"]>[number];
type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];
type ScalingActivity = NonNullable<
  OpOutput<"application-autoscaling", "DescribeScalingActivities">["ScalingActivities"]
>[number];
type DsDirectory = NonNullable<OpOutput<"ds", "DescribeDirectories">["DirectoryDescriptions"]>[number];
type MetricAlarm = NonNullable<OpOutput<"cloudwatch", "DescribeAlarms">["MetricAlarms"]>[number];

// ---------------------------------------------------------------- ids and inputs

/** WorkSpaces' own id constraints (API reference), checked before any AWS call. */
const IDS = {
  workspace: /^ws-[0-9a-z]{8,63}$/,
  pool: /^wspool-[0-9a-z]{9}$/,
  /** WorkSpaces accepts d-… (Directory Service) and wsd-… (WorkSpaces-managed) directory ids. */
  directory: /^(d-[0-9a-f]{8,63}|wsd-[0-9a-z]{8,63})$/,
  /** Directory Service's own id format; anything else (notably wsd-…) is never sent to ds. */
  dsDirectory: /^d-[0-9a-f]{10}$/,
  /** AppStream resource names (CreateFleet Name). */
  fleet: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/,
} as const;

const LookbackHours = z.number().int().min(1).max(168).default(24).describe(
  "Hours of CloudWatch history to read (1–168, default 24)",
);

/** Connectivity thresholds: the policy in one place. */
const CONNECTION = {
  /** A failure ratio at or above this (with enough attempts) is critical, not just a warning. */
  criticalFailureRatio: 0.5,
  /** Attempts needed before the ratio means anything. */
  minAttemptsForRatio: 3,
  /** Days without a connection after which the last connection is worth a mention. */
  staleDays: 14,
} as const;

/** Pool thresholds. */
const POOL = {
  /** Peak session utilization (%) over the lookback that is worth a warning. */
  highPeakUtilizationPct: 90,
} as const;

/** Scaling activity statuses that mean the scaling did not happen (InProgress/Pending/Successful/Overridden do not). */
const FAILED_SCALING = new Set(["Failed", "Unfulfilled"]);
/** How many recent scaling activities a fleet diagnosis lists as evidence. */
const MAX_LISTED_ACTIVITIES = 10;
/** Pages of scaling activities read at most (50 each) before giving up on reaching the window's start. */
const MAX_SCALING_PAGES = 20;

/**
 * Period of the diagnoses' metric reads: 5 minutes keeps the window within a few minutes of
 * lookback_hours (whole-hour buckets would widen a 24 h window to 25 h) at ≤ 2,016 points a query.
 */
const METRIC_PERIOD_SECONDS = 300;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const REGION_CONCURRENCY = 4;

function iso(d: Date | undefined): string | null {
  return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString() : null;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The newest time in a list of snapshots. */
function latestSnapshot(list: { SnapshotTime?: Date }[] | undefined): Date | undefined {
  let best: Date | undefined;
  for (const s of list ?? []) if (s.SnapshotTime && (!best || s.SnapshotTime > best)) best = s.SnapshotTime;
  return best;
}

/** Runs a lookup; a NotFound answer is `missing` (not an error), any other failure is recorded in `col`. */
async function lookup<T>(
  col: Collection,
  where: { service: string; operation: string; region: string },
  fn: () => Promise<T | undefined>,
): Promise<{ value?: T; missing: boolean; failed: boolean }> {
  let missing = false;
  let answered = false;
  const value = await col.attempt(where, async () => {
    try {
      const v = await fn();
      answered = true;
      return v;
    } catch (e) {
      if (e instanceof AwsCallError && e.info.code === "NotFound") {
        answered = missing = true;
        return undefined;
      }
      throw e;
    }
  });
  // Tracked here, not by counting col.errors: other lookups run concurrently and add their own errors.
  const failed = !answered;
  return { value, missing: missing || (answered && value === undefined), failed };
}

/** When the first lookup failed for want of credentials, the rest would too: fail now, as an isError result. */
function stopWithoutCredentials(col: Collection, what: string): void {
  if (col.errors.some((e) => e.code === "ExpiredCredentials" || e.code === "NoCredentials")) col.failIfNothing(what);
}

function headline(kind: string, id: string, status: Status, findings: Finding[]): string {
  if (status === "not_found") return `${kind} ${id} was not found.`;
  const c = severityCounts(findings);
  const top = findings.find((f) => f.severity !== "info") ?? findings[0];
  return `${kind} ${id} is ${status}: ${c.critical} critical, ${c.warning} warning, ${c.info} info` +
    (top ? ` — ${top.title}` : "") + ".";
}

// ---------------------------------------------------------------- directory check (shared)

const DirectorySignals = z.object({
  directory_id: z.string(),
  registration_state: z.string().nullable().describe("WorkSpaces registration: REGISTERED, DEREGISTERED, …"),
  directory_type: z.string().nullable(),
  workspace_type: z.string().nullable().describe("PERSONAL or POOLS"),
  directory_name: z.string().nullable(),
  default_ou: z.string().nullable(),
  custom_security_group_id: z.string().nullable(),
  user_enabled_as_local_administrator: z.boolean().nullable(),
  enable_internet_access: z.boolean().nullable(),
  enable_maintenance_mode: z.boolean().nullable(),
  error_message: z.string().nullable(),
  stage: z.string().nullable().describe(
    'Directory Service stage (Active, Impaired, Inoperable, …); "N/A (WorkSpaces-managed)" for wsd- ids; null when not read',
  ),
  stage_reason: z.string().nullable(),
});
type DirectorySignals = z.infer<typeof DirectorySignals>;

/** What the two directory lookups found. */
interface DirectoryEvidence {
  id: string;
  /** The WorkSpaces registration; "missing" when WorkSpaces does not know the id; undefined when the lookup failed. */
  registration?: Directory | "missing";
  /** Directory Service: its description, "missing", "managed" (wsd-), "other" (not a DS id) or undefined (failed). */
  ds?: DsDirectory | "missing" | "managed" | "other";
}

const MANAGED_STAGE = "N/A (WorkSpaces-managed)";

function dsKind(id: string): "ds" | "managed" | "other" {
  if (IDS.dsDirectory.test(id)) return "ds";
  return id.startsWith("wsd-") ? "managed" : "other";
}

/**
 * Directory Service descriptions of `ids` (d- ids only) in as few calls as possible: one paginated
 * DescribeDirectories with the whole list. AWS fails the whole call when one id does not exist, so
 * then the account's directories are listed instead and the absent ones are reported missing.
 */
async function describeDsDirectories(
  aws: Aws,
  region: string,
  ids: string[],
  col: Collection,
  signal: AbortSignal,
): Promise<Map<string, DsDirectory | "missing"> | undefined> {
  if (ids.length === 0) return new Map();
  const where = { service: "ds", operation: "DescribeDirectories", region };
  const o = { region, signal };
  const named = await lookup(
    col,
    where,
    async () =>
      (await collect(aws, "ds", "DescribeDirectories", { DirectoryIds: ids }, "DirectoryDescriptions", o)).items,
  );
  let found = named.value;
  if (!found && named.missing && !named.failed) {
    if (ids.length === 1) return new Map([[ids[0], "missing" as const]]);
    found = await col.attempt(
      where,
      async () => (await collect(aws, "ds", "DescribeDirectories", {}, "DirectoryDescriptions", o)).items,
    );
  }
  if (!found) return undefined;
  const byId = new Map(found.filter((d) => d.DirectoryId).map((d) => [d.DirectoryId!, d]));
  return new Map(ids.map((id) => [id, byId.get(id) ?? "missing" as const]));
}

/** The registration and Directory Service state of one directory (two calls at most, side by side). */
async function checkDirectory(
  aws: Aws,
  region: string,
  id: string,
  col: Collection,
  signal: AbortSignal,
): Promise<DirectoryEvidence> {
  const kind = dsKind(id);
  const [registration, ds] = await Promise.all([
    lookup(
      col,
      { service: "workspaces", operation: "DescribeWorkspaceDirectories", region },
      async () =>
        (await aws.call("workspaces", "DescribeWorkspaceDirectories", { DirectoryIds: [id] }, { region, signal }))
          .Directories?.find((d) => d.DirectoryId === id),
    ),
    kind === "ds" ? describeDsDirectories(aws, region, [id], col, signal) : Promise.resolve(undefined),
  ]);
  return {
    id,
    registration: registration.value ?? (registration.missing ? "missing" : undefined),
    ds: kind === "ds" ? ds?.get(id) : kind,
  };
}

function directorySignals(e: DirectoryEvidence): DirectorySignals {
  const d = typeof e.registration === "object" ? e.registration : undefined;
  const p = d?.WorkspaceCreationProperties;
  const ds = typeof e.ds === "object" ? e.ds : undefined;
  return {
    directory_id: e.id,
    registration_state: d?.State ?? (e.registration === "missing" ? "NOT_REGISTERED" : null),
    directory_type: d?.DirectoryType ?? null,
    workspace_type: d?.WorkspaceType ?? null,
    directory_name: d?.DirectoryName ?? d?.WorkspaceDirectoryName ?? null,
    default_ou: p?.DefaultOu ?? null,
    custom_security_group_id: p?.CustomSecurityGroupId ?? null,
    user_enabled_as_local_administrator: p?.UserEnabledAsLocalAdministrator ?? null,
    enable_internet_access: p?.EnableInternetAccess ?? null,
    enable_maintenance_mode: p?.EnableMaintenanceMode ?? null,
    error_message: d?.ErrorMessage ?? null,
    stage: ds?.Stage ?? (e.ds === "managed" ? MANAGED_STAGE : e.ds === "missing" ? "NOT_FOUND" : null),
    stage_reason: ds?.StageReason ?? null,
  };
}

const REGISTRATION_ADVICE: Readonly<Record<string, string>> = {
  DEREGISTERED: "Register the directory with WorkSpaces again (console: Directories → Register); " +
    "its desktops cannot start and its users cannot sign in until then.",
  DEREGISTERING: "The directory is being deregistered; its desktops will be unusable. " +
    "If that is not intended, register it again once deregistration completes.",
  REGISTERING: "Wait a few minutes for registration to finish; if it stays REGISTERING, check the directory's " +
    "subnets and that the workspaces_DefaultRole IAM role exists.",
  ERROR: "Fix the cause in the error message (service account, subnets, DNS reachability) and register the " +
    "directory again.",
};

const STAGE_ADVICE: Readonly<Record<string, string>> = {
  Impaired: "Authentication is unreliable. For an AD Connector check its service account (password, lockout), " +
    "that the on-premises DNS servers and domain controllers it points to are reachable from its subnets " +
    "(security groups, VPN/Direct Connect); for Simple AD or Managed Microsoft AD check the VPC's network ACLs " +
    "and security groups, then open an AWS Support case if it stays Impaired.",
  Inoperable: "The directory cannot serve sign-ins. Check the same connectivity as for Impaired (DNS, domain " +
    "controllers, service account, security groups) and open an AWS Support case.",
  Failed: "Directory creation failed: delete and recreate it, or register another directory.",
  RestoreFailed: "A snapshot restore failed: open an AWS Support case, or restore from another snapshot.",
  Deleting: "The directory is being deleted: move its desktops to another directory.",
  Deleted: "The directory was deleted: deregister it from WorkSpaces and move its users to another directory.",
};

/** Findings of one directory (rules of REFERENCE item 9). */
function directoryFindings(e: DirectoryEvidence): Finding[] {
  const out: Finding[] = [];
  const id = e.id;
  if (e.registration === "missing") {
    out.push(finding(
      "critical",
      `Directory ${id} is not registered with WorkSpaces in this region`,
      "DescribeWorkspaceDirectories does not know this directory id here.",
      "Check the directory id and region; register the directory with WorkSpaces if desktops should use it.",
      id,
    ));
  } else if (e.registration) {
    const state = e.registration.State ?? "UNKNOWN";
    if (state !== "REGISTERED") {
      out.push(finding(
        "critical",
        `Directory ${id} is ${state} with WorkSpaces`,
        `Registration state ${state}${e.registration.ErrorMessage ? `: ${e.registration.ErrorMessage}` : ""}.`,
        REGISTRATION_ADVICE[state] ?? "Register the directory with WorkSpaces again.",
        id,
      ));
    } else {
      out.push(finding(
        "info",
        `Directory ${id} is registered with WorkSpaces`,
        `Type ${e.registration.DirectoryType ?? "unknown"}, ${e.registration.WorkspaceType ?? "PERSONAL"} desktops.`,
        "Nothing to do.",
        id,
      ));
    }
  }
  if (e.ds === "managed" && e.registration !== "missing") {
    out.push(finding(
      "info",
      `Directory ${id} is WorkSpaces-managed`,
      "wsd- directories are managed by WorkSpaces (not AWS Directory Service), so there is no Directory Service stage.",
      "Nothing to check in Directory Service; identity comes from the SAML/identity provider configured on it.",
      id,
    ));
  } else if (e.ds === "other" && e.registration !== "missing") {
    out.push(finding(
      "info",
      `Directory ${id} is not a Directory Service id`,
      "Directory Service ids are d- followed by 10 hex digits; this one is not, so its stage was not read.",
      "Nothing to do unless sign-ins fail; then check the directory in the WorkSpaces console.",
      id,
    ));
  } else if (e.ds === "missing") {
    out.push(finding(
      "critical",
      `Directory Service has no directory ${id}`,
      "DescribeDirectories says the directory does not exist (deleted, or in another account or region).",
      "If it was deleted, deregister it from WorkSpaces and move its users' desktops to a working directory.",
      id,
    ));
  } else if (typeof e.ds === "object") {
    const stage = e.ds.Stage ?? "unknown";
    if (stage !== "Active") {
      out.push(finding(
        "critical",
        `Directory Service reports ${id} as ${stage}`,
        `Stage ${stage}${e.ds.StageReason ? `: ${e.ds.StageReason}` : ""}${
          e.ds.StageLastUpdatedDateTime ? ` (since ${iso(e.ds.StageLastUpdatedDateTime)})` : ""
        }.`,
        STAGE_ADVICE[stage] ??
          `Wait for the stage to return to Active; if it stays ${stage}, open an AWS Support case.`,
        id,
      ));
    } else {
      out.push(finding(
        "info",
        `Directory Service reports ${id} as Active`,
        `${e.ds.Type ?? "Directory"} ${e.ds.Name ?? ""}`.trim() + " is Active.",
        "Nothing to do.",
        id,
      ));
    }
  }
  return out;
}

// ---------------------------------------------------------------- diagnose_workspace_connectivity

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
});

const ConnectivityOutput = z.object({
  target_type: z.literal("workspace"),
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
  const base = { target_type: "workspace" as const, target_id: id, region, lookback_hours: lookbackHours };
  if (ws.missing) {
    const findings = [finding(
      "warning",
      `WorkSpace ${id} does not exist in ${region}`,
      "DescribeWorkspaces returned no desktop with this id.",
      "Check the id and the region (desktops are regional); list desktops with generate_inventory_report.",
      id,
    )];
    return {
      summary: headline("WorkSpace", id, "not_found", findings),
      data: {
        ...base,
        status: "not_found" as const,
        findings,
        signals: emptyConnectivitySignals(),
        errors: col.errors,
        notes: [],
      },
    };
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
  const attempts = metrics.series[0] ? summarize(metrics.series[0]).sum ?? 0 : null;
  const failures = metrics.series[1] ? summarize(metrics.series[1]).sum ?? 0 : null;
  const dirFindings = dir ? directoryFindings(dir) : [];
  const dirProblem = dirFindings.find((f) => f.severity === "critical");
  const findings = connectivityFindings(id, w, conn, snaps, failures, attempts, lookbackHours, dirProblem);
  findings.push(...dirFindings);
  const ranked = rankFindings(findings);
  const signals = connectivitySignals(w, conn, snaps, dir, attempts, failures);
  const notes: string[] = [];
  if (!w) notes.push("The desktop itself could not be read (see errors): status is unknown; other evidence is shown.");
  if (attempts === 0 && failures === 0) {
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

// ---------------------------------------------------------------- diagnose_application_fleet

const FleetInput = z.object({
  fleet_name: z.string().regex(IDS.fleet, "must be a fleet name: letters, digits, _ . - (up to 101 characters)")
    .describe("The WorkSpaces Applications (AppStream 2.0) fleet name"),
  region: RegionInput,
  lookback_hours: LookbackHours,
});

const Capacity = z.object({
  desired: z.number().int().nullable(),
  running: z.number().int().nullable(),
  in_use: z.number().int().nullable(),
  available: z.number().int().nullable(),
});

const ActivityRow = z.object({
  status: z.string().nullable().describe("Application Auto Scaling StatusCode"),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  description: z.string().nullable(),
  status_message: z.string().nullable(),
  cause: z.string().nullable(),
});

const FleetSignals = z.object({
  state: z.string().nullable(),
  fleet_type: z.string().nullable(),
  instance_type: z.string().nullable(),
  capacity: Capacity,
  user_sessions: z.object({
    desired: z.number().int().nullable(),
    actual: z.number().int().nullable(),
    active: z.number().int().nullable(),
    available: z.number().int().nullable(),
  }).nullable().describe("Multi-session fleets only: capacity in user sessions"),
  fleet_errors: z.array(z.object({ code: z.string().nullable(), message: z.string().nullable() })),
  scaling_activities_in_window: z.number().int().nullable().describe("null when Application Auto Scaling was not read"),
  failed_scaling_activities: z.number().int().nullable().describe("Failed or Unfulfilled activities in the window"),
  in_progress_scaling_activities: z.number().int().nullable(),
  recent_scaling_activities: z.array(ActivityRow).describe(`Newest first, at most ${MAX_LISTED_ACTIVITIES}`),
  insufficient_capacity_errors: z.number().nullable().describe("Sum over the lookback; null when not read"),
});

const FleetOutput = z.object({
  target_type: z.literal("fleet"),
  target_id: z.string(),
  region: z.string(),
  lookback_hours: z.number().int(),
  status: Status,
  findings: z.array(Finding),
  signals: FleetSignals,
  errors: Errors,
  notes: Notes,
});

/** Next steps for fleet error codes, by prefix (AppStream FleetErrorCode). */
const FLEET_ERROR_ADVICE: readonly [RegExp, string][] = [
  [/^IAM_SERVICE_ROLE/, "Restore the AmazonAppStreamServiceAccess role and its policy, then stop and start the fleet."],
  [
    /^NETWORK_INTERFACE_LIMIT|^SUBNET_HAS_INSUFFICIENT_IP|^SUBNET_NOT_FOUND|^SECURITY_GROUPS_NOT_FOUND/,
    "Fix the fleet's VPC settings (subnets with free IP addresses, existing security groups, ENI quota), then stop and start the fleet.",
  ],
  [
    /^IMAGE_NOT_FOUND|^INVALID_SUBNET_CONFIGURATION/,
    "Point the fleet at an existing image and valid subnets (update the fleet), then start it.",
  ],
  [
    /^DOMAIN_JOIN/,
    "Fix the Active Directory join (service account permissions, OU, DNS reachability from the fleet's subnets), then stop and start the fleet.",
  ],
  [
    /^FLEET_INSTANCE_PROVISIONING_FAILURE/,
    "AWS could not launch instances: if the message names insufficient capacity, add subnets in other Availability Zones or pick another instance type; check the service quota for the instance family.",
  ],
];

function fleetErrorAdvice(code: string | undefined): string {
  for (const [re, advice] of FLEET_ERROR_ADVICE) if (code && re.test(code)) return advice;
  return "Act on the error message, then stop and start the fleet (stop_application_fleet / start_application_fleet).";
}

/**
 * The fleet's scaling activities since `since`, newest first: AWS lists them newest first, so
 * paging stops at the first page that reaches past the window's start.
 */
async function scalingActivities(
  aws: Aws,
  region: string,
  name: string,
  since: number,
  signal: AbortSignal,
): Promise<ScalingActivity[]> {
  const out: ScalingActivity[] = [];
  const input = {
    ServiceNamespace: "appstream" as const,
    ResourceId: `fleet/${name}`,
    ScalableDimension: "appstream:fleet:DesiredCapacity" as const,
    MaxResults: 50,
  };
  for await (
    const page of pages(aws, "application-autoscaling", "DescribeScalingActivities", input, {
      region,
      signal,
      maxPages: MAX_SCALING_PAGES,
    })
  ) {
    let older = false;
    for (const a of page.ScalingActivities ?? []) {
      if ((a.StartTime?.getTime() ?? 0) >= since) out.push(a);
      else older = true;
    }
    if (older) break;
  }
  return out;
}

/** Whether a fleet, its scaling and its capacity errors explain missing sessions, ranked. */
export const diagnoseApplicationFleet: ToolDef<typeof FleetInput, typeof FleetOutput> = {
  name: "diagnose_application_fleet",
  title: "Diagnose a WorkSpaces Applications fleet",
  toolset: "diagnostics",
  tier: 0,
  actions: [
    "application-autoscaling:DescribeScalingActivities",
    "appstream:DescribeFleets",
    "cloudwatch:GetMetricData",
  ],
  annotations: READ_ONLY,
  description: "Why is a WorkSpaces Applications (formerly AppStream 2.0) fleet failing or out of capacity? Use this " +
    "for any AppStream fleet question. Checks the fleet state and fleet errors, desired vs running vs in-use vs " +
    "available capacity, Application Auto Scaling activities over lookback_hours (only Failed/Unfulfilled count as " +
    "failures) and CloudWatch InsufficientCapacityError; returns ranked findings with next steps and the signals.",
  input: FleetInput,
  output: FleetOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const { aws, signal } = ctx;
    const name = args.fleet_name;
    const hours = args.lookback_hours;
    const col = new Collection();
    const base = { target_type: "fleet" as const, target_id: name, region, lookback_hours: hours };
    const fl = await lookup(
      col,
      { service: "appstream", operation: "DescribeFleets", region },
      async () =>
        (await aws.call("appstream", "DescribeFleets", { Names: [name] }, { region, signal })).Fleets
          ?.find((f) => f.Name === name),
    );
    stopWithoutCredentials(col, `evidence about fleet ${name}`);
    if (fl.missing) {
      const findings = [finding(
        "warning",
        `Fleet ${name} does not exist in ${region}`,
        "DescribeFleets does not know this fleet name here.",
        "Check the name (case-sensitive) and the region; list fleets with generate_inventory_report.",
        name,
      )];
      return {
        summary: headline("Fleet", name, "not_found", findings),
        data: {
          ...base,
          status: "not_found" as const,
          findings,
          signals: fleetSignals(undefined, undefined, null),
          errors: col.errors,
          notes: [],
        },
      };
    }
    const window = metricWindow(hours * HOUR, METRIC_PERIOD_SECONDS);
    const since = Date.now() - hours * HOUR;
    const [activities, metrics] = await Promise.all([
      col.attempt(
        { service: "application-autoscaling", operation: "DescribeScalingActivities", region },
        () => scalingActivities(aws, region, name, since, signal),
      ),
      getMetricSeries(
        aws,
        region,
        [{
          namespace: "AWS/AppStream",
          metric: "InsufficientCapacityError",
          dimensions: { Fleet: name },
          stat: "Sum",
        }],
        window,
        { signal },
      ),
    ]);
    col.errors.push(...metrics.errors);
    if (metrics.errors.length) col.failIfNothing(`evidence about fleet ${name}`);
    const capacityErrors = metrics.series[0] ? summarize(metrics.series[0]).sum ?? 0 : null;
    const f: Fleet | undefined = fl.value;
    const findings = rankFindings(fleetFindings(name, f, activities, capacityErrors, hours));
    const notes: string[] = [];
    if (!f) notes.push("The fleet itself could not be read (see errors): status is unknown; other evidence is shown.");
    if (f?.FleetType === "ELASTIC") {
      notes.push("Elastic fleets have no provisioned instances: running below desired is normal and not flagged.");
    }
    if (activities === undefined) notes.push("Scaling activities were not read (see errors).");
    const status: Status = f ? overallStatus(findings) : "unknown";
    return {
      summary: headline("Fleet", name, status, findings),
      data: {
        ...base,
        status,
        findings,
        signals: fleetSignals(f, activities, capacityErrors),
        errors: col.errors,
        notes,
      },
    };
  },
};

function fleetSignals(
  f: Fleet | undefined,
  activities: ScalingActivity[] | undefined,
  capacityErrors: number | null,
): z.infer<typeof FleetSignals> {
  const c = f?.ComputeCapacityStatus;
  const multi = (f?.MaxSessionsPerInstance ?? 0) > 1 && c?.ActualUserSessions !== undefined;
  return {
    state: f?.State ?? null,
    fleet_type: f?.FleetType ?? null,
    instance_type: f?.InstanceType ?? null,
    capacity: {
      desired: c?.Desired ?? null,
      running: c?.Running ?? null,
      in_use: c?.InUse ?? null,
      available: c?.Available ?? null,
    },
    user_sessions: multi
      ? {
        desired: c?.DesiredUserSessions ?? null,
        actual: c?.ActualUserSessions ?? null,
        active: c?.ActiveUserSessions ?? null,
        available: c?.AvailableUserSessions ?? null,
      }
      : null,
    fleet_errors: (f?.FleetErrors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    scaling_activities_in_window: activities?.length ?? null,
    failed_scaling_activities: activities
      ? activities.filter((a) => FAILED_SCALING.has(a.StatusCode ?? "")).length
      : null,
    in_progress_scaling_activities: activities
      ? activities.filter((a) => a.StatusCode === "InProgress" || a.StatusCode === "Pending").length
      : null,
    recent_scaling_activities: (activities ?? []).slice(0, MAX_LISTED_ACTIVITIES).map((a) => ({
      status: a.StatusCode ?? null,
      start_time: iso(a.StartTime),
      end_time: iso(a.EndTime),
      description: a.Description ?? null,
      status_message: a.StatusMessage ?? null,
      cause: a.Cause ?? null,
    })),
    insufficient_capacity_errors: capacityErrors,
  };
}

/** Rules of REFERENCE item 8, with in-progress scaling not counted as a failure. */
function fleetFindings(
  name: string,
  f: Fleet | undefined,
  activities: ScalingActivity[] | undefined,
  capacityErrors: number | null,
  hours: number,
): Finding[] {
  const out: Finding[] = [];
  if (f) {
    const state = f.State ?? "UNKNOWN";
    if (state === "STOPPED") {
      out.push(finding(
        "warning",
        "Fleet is STOPPED",
        "A stopped fleet has no streaming instances: users of its stacks cannot start sessions.",
        "Start it (start_application_fleet) if users need it now; it takes about 10–15 minutes.",
        name,
      ));
    } else if (state === "STARTING" || state === "STOPPING") {
      out.push(finding("info", `Fleet is ${state}`, `The fleet is ${state}.`, "Wait for it to finish.", name));
    } else if (state === "RUNNING") {
      out.push(finding("info", "Fleet is RUNNING", "The fleet is running.", "Nothing to do.", name));
    }
    for (const e of f.FleetErrors ?? []) {
      out.push(finding(
        "critical",
        `Fleet error ${e.ErrorCode ?? "UNKNOWN"}`,
        e.ErrorMessage ?? "No message.",
        fleetErrorAdvice(e.ErrorCode),
        name,
      ));
    }
    const c = f.ComputeCapacityStatus;
    const multi = (f.MaxSessionsPerInstance ?? 0) > 1 && c?.AvailableUserSessions !== undefined;
    const running = c?.Running ?? 0;
    const inUse = c?.InUse ?? 0;
    const available = c?.Available ?? 0;
    const exhausted = multi
      ? c!.AvailableUserSessions === 0 && (c!.ActiveUserSessions ?? 0) > 0
      : available === 0 && running > 0 && inUse >= running;
    if (state === "RUNNING" && exhausted) {
      out.push(finding(
        "critical",
        "Fleet capacity is exhausted",
        multi
          ? `All ${c!.ActualUserSessions ?? "?"} user sessions are in use and none is available.`
          : `All ${running} running instances are in use (in use ${inUse}, available ${available}, desired ${
            c?.Desired ?? "?"
          }); new users get no session.`,
        "Raise the desired capacity (update_application_fleet_capacity) or the scaling policy's maximum; " +
          "if instances cannot launch, see the fleet errors and capacity findings.",
        name,
      ));
    }
    if (f.FleetType !== "ELASTIC" && state === "RUNNING" && c?.Desired !== undefined && running < c.Desired) {
      out.push(finding(
        "warning",
        `Only ${running} of ${c.Desired} desired instances are running`,
        `Desired ${c.Desired}, running ${running}, in use ${inUse}, available ${available}.`,
        "Normal for a few minutes after a capacity change; if it persists, check the fleet errors, the instance " +
          "family's service quota and free IP addresses in the fleet's subnets.",
        name,
      ));
    }
  }
  if (activities) {
    const failed = activities.filter((a) => FAILED_SCALING.has(a.StatusCode ?? ""));
    if (failed.length) {
      const last = failed[0];
      out.push(finding(
        "warning",
        `${plural(failed.length, "scaling activity", "scaling activities")} failed in ${hours} h`,
        `Latest: ${last.StatusCode} at ${iso(last.StartTime)} — ${last.Description ?? ""} ${last.StatusMessage ?? ""}`
          .trim(),
        "Read the status message: raise the scalable target's maximum capacity or the instance quota, or fix the " +
          "fleet errors that stop instances from launching.",
        name,
      ));
    }
    const pending = activities.filter((a) => a.StatusCode === "InProgress" || a.StatusCode === "Pending");
    if (pending.length) {
      out.push(finding(
        "info",
        `${plural(pending.length, "scaling activity", "scaling activities")} in progress`,
        `${pending[0].Description ?? "Scaling"} (started ${iso(pending[0].StartTime)}).`,
        "Wait for it to finish; capacity follows within minutes.",
        name,
      ));
    }
  }
  if (capacityErrors !== null && capacityErrors > 0) {
    out.push(finding(
      "critical",
      `${plural(capacityErrors, "session request")} refused for lack of capacity in ${hours} h`,
      `CloudWatch AWS/AppStream InsufficientCapacityError summed to ${capacityErrors} over the last ${hours} h.`,
      "Users were turned away: raise desired capacity or the scaling maximum, scale out earlier (lower target " +
        "utilization), and check that instances can launch (fleet errors, quotas, subnets).",
      name,
    ));
  }
  return out;
}

// ---------------------------------------------------------------- diagnose_pool

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
});

const PoolOutput = z.object({
  target_type: z.literal("pool"),
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
    const base = { target_type: "pool" as const, target_id: id, region, lookback_hours: hours };
    const found = await lookup(
      col,
      { service: "workspaces", operation: "DescribeWorkspacesPools", region },
      async () =>
        (await aws.call("workspaces", "DescribeWorkspacesPools", { PoolIds: [id] }, o)).WorkspacesPools
          ?.find((p) => p.PoolId === id),
    );
    stopWithoutCredentials(col, `evidence about pool ${id}`);
    if (found.missing) {
      const findings = [finding(
        "warning",
        `Pool ${id} does not exist in ${region}`,
        "DescribeWorkspacesPools returned no pool with this id.",
        "Check the id and the region; list pools with generate_inventory_report.",
        id,
      )];
      return {
        summary: headline("Pool", id, "not_found", findings),
        data: {
          ...base,
          status: "not_found" as const,
          findings,
          signals: poolSignals(undefined, undefined, null, undefined),
          errors: col.errors,
          notes: [],
        },
      };
    }
    const pool: Pool | undefined = found.value;
    const window = metricWindow(hours * HOUR, METRIC_PERIOD_SECONDS);
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
          // Literally "WorkSpaces pool ID", with spaces (REFERENCE §8.1 item 10).
          dimensions: { "WorkSpaces pool ID": id },
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
    const notes: string[] = [];
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

// ---------------------------------------------------------------- check_directory_health

const DirectoryInput = z.object({
  directory_id: z.string().regex(IDS.directory, "must be a directory id such as d-1234567890 or wsd-abc123def")
    .optional().describe("One directory (d-… or wsd-…); omit to check every directory registered in the region"),
  region: RegionInput,
});

const DirectoryDiagnosis = z.object({
  target_type: z.literal("directory"),
  target_id: z.string(),
  region: z.string(),
  status: Status,
  findings: z.array(Finding),
  signals: DirectorySignals,
});

const DirectoryOutput = z.object({
  region: z.string(),
  total_count: z.number().int().describe("Directories checked"),
  directories: z.array(DirectoryDiagnosis).describe("Unhealthy first"),
  truncated: z.boolean().describe("True when the list was cut to fit the result budget (total_count stays complete)"),
  errors: Errors,
  notes: Notes,
});

const STATUS_ORDER: Readonly<Record<Status, number>> = {
  unhealthy: 0,
  not_found: 1,
  degraded: 2,
  unknown: 3,
  healthy: 4,
};

/** Registration and Directory Service health of one or every WorkSpaces directory. */
export const checkDirectoryHealth: ToolDef<typeof DirectoryInput, typeof DirectoryOutput> = {
  name: "check_directory_health",
  title: "Check WorkSpaces directory health",
  toolset: "diagnostics",
  tier: 0,
  actions: ["ds:DescribeDirectories", "workspaces:DescribeWorkspaceDirectories"],
  annotations: READ_ONLY,
  description: "Is a WorkSpaces directory healthy? For one directory_id, or every directory registered in the " +
    "region: WorkSpaces registration state, creation settings (default OU, security group, local admin, internet " +
    "access, maintenance mode) and the AWS Directory Service stage (Active, Impaired, Inoperable…; WorkSpaces-" +
    "managed wsd- directories have none). Returns one ranked diagnosis per directory.",
  input: DirectoryInput,
  output: DirectoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const { aws, signal } = ctx;
    const col = new Collection();
    const o = { region, signal };
    const where = { service: "workspaces", operation: "DescribeWorkspaceDirectories", region };
    let evidence: DirectoryEvidence[];
    if (args.directory_id) {
      evidence = [await checkDirectory(aws, region, args.directory_id, col, signal)];
    } else {
      const list = await col.attempt(
        where,
        async () => (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items,
      );
      col.failIfNothing("directories");
      const dirs = (list ?? []).filter((d) => d.DirectoryId);
      const dsIds = dirs.map((d) => d.DirectoryId!).filter((id) => dsKind(id) === "ds");
      // One DescribeDirectories (with every d- id) for all of them, not one per directory.
      const ds = await describeDsDirectories(aws, region, dsIds, col, signal);
      evidence = dirs.map((d) => {
        const kind = dsKind(d.DirectoryId!);
        return { id: d.DirectoryId!, registration: d, ds: kind === "ds" ? ds?.get(d.DirectoryId!) : kind };
      });
    }
    col.failIfNothing("directory health");
    const directories = evidence.map((e) => {
      const findings = rankFindings(directoryFindings(e));
      // Neither WorkSpaces nor Directory Service knows it: not found; WorkSpaces could not be asked and
      // Directory Service has no answer either: unknown.
      const status: Status = e.registration === "missing" && typeof e.ds !== "object"
        ? "not_found"
        : e.registration === undefined && typeof e.ds !== "object"
        ? "unknown"
        : overallStatus(findings);
      return {
        target_type: "directory" as const,
        target_id: e.id,
        region,
        status,
        findings,
        signals: directorySignals(e),
      };
    }).sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    const notes: string[] = [];
    if (!args.directory_id && directories.length === 0) notes.push(`No directories are registered in ${region}.`);
    if (col.errors.some((e) => e.operation === "DescribeDirectories")) {
      notes.push("Directory Service could not be read (see errors): stages are null, not healthy.");
    }
    const bad = directories.filter((d) => d.status === "unhealthy" || d.status === "not_found");
    return {
      summary: args.directory_id
        ? headline("Directory", args.directory_id, directories[0].status, directories[0].findings)
        : `${plural(directories.length, "directory", "directories")} in ${region}: ${bad.length} unhealthy` +
          (bad.length ? ` (${bad.map((d) => d.target_id).join(", ")})` : "") + ".",
      data: { region, total_count: directories.length, directories, truncated: false, errors: col.errors, notes },
    };
  },
};

// ---------------------------------------------------------------- get_euc_active_alarms

const AlarmsInput = z.object({ region: RegionInput, regions: RegionsInput });

const AlarmRow = z.object({
  name: z.string(),
  region: z.string(),
  service: z.string().describe("Current product name"),
  namespace: z.string(),
  metric_name: z.string().nullable().describe("The metric, or for metric math the EUC metrics it reads"),
  dimensions: z.record(z.string(), z.string()),
  state_reason: z.string().nullable(),
  state_since: z.string().nullable().describe("When the alarm entered ALARM (ISO)"),
  actions_enabled: z.boolean().nullable(),
  likely_autoscaling: z.boolean().describe(
    "Name looks like an auto-scaling alarm (scale-in/out, target tracking AlarmHigh/AlarmLow): expected, not an incident",
  ),
});

const AlarmsOutput = z.object({
  region: z.string().describe("Regions covered, comma-separated"),
  regions: z.array(z.string()),
  total_account_alarms_in_alarm: z.number().int().describe("Metric alarms in ALARM in the regions that answered"),
  euc_alarms_in_alarm: z.number().int(),
  likely_incidents: z.number().int().describe("EUC alarms in ALARM that are not likely auto-scaling"),
  alarms: z.array(AlarmRow).describe("Likely incidents first"),
  truncated: z.boolean().describe("True when the list was cut to fit the result budget (the counts stay complete)"),
  errors: Errors,
  notes: Notes,
});

/** CloudWatch namespaces of the EUC services. */
const EUC_NAMESPACES: Readonly<Record<string, string>> = {
  "AWS/WorkSpaces": PRODUCT.personal,
  "AWS/AppStream": PRODUCT.applications,
  "AWS/WorkSpacesWeb": PRODUCT["secure-browser"],
};

/**
 * Alarm names auto-scaling creates or that people give scaling alarms: step-scaling names
 * (scale-in, ScaleOut, scaling alarm) and Application Auto Scaling target tracking
 * (`TargetTracking-fleet/<name>-AlarmHigh-<uuid>` / `-AlarmLow-`), which the reference missed.
 */
const AUTOSCALING_NAME = [/scale.?in|scale.?out|scaling.?alarm/i, /^TargetTracking-.+-Alarm(High|Low)-/i];

/** Whether an alarm name looks like an auto-scaling alarm. */
export function likelyAutoscaling(name: string): boolean {
  return AUTOSCALING_NAME.some((re) => re.test(name));
}

function alarmRow(a: MetricAlarm, region: string): z.infer<typeof AlarmRow> | undefined {
  const math = (a.Metrics ?? []).map((m) => m.MetricStat?.Metric).filter((m) => m && EUC_NAMESPACES[m.Namespace ?? ""]);
  const namespace = EUC_NAMESPACES[a.Namespace ?? ""] ? a.Namespace! : math[0]?.Namespace;
  if (!namespace) return undefined;
  const dims = (a.Namespace === namespace ? a.Dimensions : math[0]?.Dimensions) ?? [];
  const dimensions = Object.fromEntries(dims.map((d) => [d.Name ?? "", d.Value ?? ""]));
  const pool = namespace === "AWS/WorkSpaces" && "WorkSpaces pool ID" in dimensions;
  const name = a.AlarmName ?? "";
  return {
    name,
    region,
    service: pool ? PRODUCT.pools : EUC_NAMESPACES[namespace],
    namespace,
    metric_name: a.MetricName ?? ([...new Set(math.map((m) => m!.MetricName))].join(", ") || null),
    dimensions,
    state_reason: a.StateReason ?? null,
    state_since: iso(a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp),
    actions_enabled: a.ActionsEnabled ?? null,
    likely_autoscaling: likelyAutoscaling(name),
  };
}

/** Every EUC CloudWatch alarm in ALARM, with likely auto-scaling alarms told apart from incidents. */
export const getEucActiveAlarms: ToolDef<typeof AlarmsInput, typeof AlarmsOutput> = {
  name: "get_euc_active_alarms",
  title: "EUC alarms firing",
  toolset: "diagnostics",
  tier: 0,
  actions: ["cloudwatch:DescribeAlarms"],
  annotations: READ_ONLY,
  description: "Which CloudWatch alarms on WorkSpaces, WorkSpaces Pools, WorkSpaces Applications (AppStream 2.0) or " +
    "Secure Browser metrics are in ALARM right now (metric and metric-math alarms; composite alarms are not listed), " +
    "per region (use `regions` to fan out). likely_autoscaling marks scale-in/scale-out and target-tracking " +
    "(AlarmHigh/AlarmLow) alarms, which fire routinely and are not incidents.",
  input: AlarmsInput,
  output: AlarmsOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    let done = 0;
    const perRegion = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const alarms = await col.attempt(
        { service: "cloudwatch", operation: "DescribeAlarms", region },
        async () =>
          (await collect(
            ctx.aws,
            "cloudwatch",
            "DescribeAlarms",
            {
              StateValue: "ALARM",
              AlarmTypes: ["MetricAlarm"],
              MaxRecords: 100,
            },
            "MetricAlarms",
            { region, signal: ctx.signal },
          )).items,
      );
      await ctx.progress(++done, regions.length, region);
      return { region, alarms };
    });
    col.failIfNothing("alarms");
    let total = 0;
    const rows: z.infer<typeof AlarmRow>[] = [];
    for (const { region, alarms } of perRegion) {
      if (!alarms) continue;
      total += alarms.length;
      for (const a of alarms) {
        const row = alarmRow(a, region);
        if (row) rows.push(row);
      }
    }
    rows.sort((a, b) => Number(a.likely_autoscaling) - Number(b.likely_autoscaling));
    const incidents = rows.filter((r) => !r.likely_autoscaling).length;
    const notes = ["Composite alarms are not listed; their EUC metric alarms are."];
    if (col.errors.length) notes.push("Regions listed in errors are missing from the counts, not zero.");
    return {
      summary: `${plural(rows.length, "EUC alarm")} in ALARM in ${regions.join(", ")} (${incidents} likely ` +
        `incident${incidents === 1 ? "" : "s"}, ${
          rows.length - incidents
        } auto-scaling) out of ${total} in the account.`,
      data: {
        region: regions.join(","),
        regions,
        total_account_alarms_in_alarm: total,
        euc_alarms_in_alarm: rows.length,
        likely_incidents: incidents,
        alarms: rows,
        truncated: false,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** The tools of this toolset, in registration order. */
export const DIAGNOSTICS_TOOLS = [
  diagnoseWorkspaceConnectivity,
  diagnoseApplicationFleet,
  checkDirectoryHealth,
  diagnosePool,
  getEucActiveAlarms,
] as const;
