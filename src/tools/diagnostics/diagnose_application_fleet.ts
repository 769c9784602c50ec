/**
 * diagnose_application_fleet: whether a WorkSpaces Applications (AppStream 2.0) fleet, its scaling
 * and its capacity errors explain missing sessions. Scaling activities are paginated and limited to
 * the lookback window, with only Failed/Unfulfilled counted as failures.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import { getMetricSeries, metricWindow, summarize } from "../../aws/metrics.ts";
import { pages } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { FLEET_METRICS, fleetKind } from "../_lib/fleet_metrics.ts";
import { Finding, finding, overallStatus, rankFindings, Status } from "../_lib/findings.ts";
import { HOUR, iso, plural } from "../_lib/format.ts";
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

type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];
type ScalingActivity = NonNullable<
  OpOutput<"application-autoscaling", "DescribeScalingActivities">["ScalingActivities"]
>[number];

/** Scaling activity statuses that mean the scaling did not happen (InProgress/Pending/Successful/Overridden do not). */
const FAILED_SCALING = new Set(["Failed", "Unfulfilled"]);
/** How many recent scaling activities a fleet diagnosis lists as evidence. */
const MAX_LISTED_ACTIVITIES = 10;
/** Pages of scaling activities read at most (50 each) before giving up on reaching the window's start. */
const MAX_SCALING_PAGES = 20;

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
  fleet_kind: z.enum(["single_session", "multi_session", "elastic"]).nullable().describe(
    "Which metrics the fleet publishes (multi-session: user-session capacity; Elastic: InUseCapacity only)",
  ),
  in_use_metric: z.string().nullable().describe("The metric peak_in_use was read from, by fleet kind"),
  peak_in_use: z.number().nullable().describe(
    "Highest in-use instances (or active user sessions, multi-session) over the lookback; null = no data published",
  ),
});

const FleetOutput = z.object({
  ...targetSchema("fleet"),
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
    const base = { ...targetFields("fleet"), target_id: name, region, lookback_hours: hours };
    const fl = await lookup(
      col,
      { service: "appstream", operation: "DescribeFleets", region },
      async () =>
        (await aws.call("appstream", "DescribeFleets", { Names: [name] }, { region, signal })).Fleets
          ?.find((f) => f.Name === name),
    );
    stopWithoutCredentials(col, `evidence about fleet ${name}`);
    if (fl.missing) {
      return notFoundDiagnosis(
        "Fleet",
        base,
        finding(
          "warning",
          `Fleet ${name} does not exist in ${region}`,
          "DescribeFleets does not know this fleet name here.",
          "Check the name (case-sensitive) and the region; list fleets with generate_inventory_report.",
          name,
        ),
        fleetSignals(undefined, undefined, null),
        col,
      );
    }
    const window = metricWindow(hours * HOUR, METRIC_PERIOD_SECONDS);
    // In use is read from the metric this kind of fleet publishes (multi-session: ActiveUserSessionCapacity).
    const inUseMetric = fl.value ? FLEET_METRICS[fleetKind(fl.value)].inUse : null;
    const since = Date.now() - hours * HOUR;
    const [activities, metrics] = await Promise.all([
      col.attempt(
        { service: "application-autoscaling", operation: "DescribeScalingActivities", region },
        () => scalingActivities(aws, region, name, since, signal),
      ),
      getMetricSeries(
        aws,
        region,
        [
          { namespace: "AWS/AppStream", metric: "InsufficientCapacityError", dimensions: { Fleet: name }, stat: "Sum" },
          ...(inUseMetric
            ? [{ namespace: "AWS/AppStream", metric: inUseMetric, dimensions: { Fleet: name }, stat: "Maximum" }]
            : []),
        ],
        window,
        { signal },
      ),
    ]);
    col.errors.push(...metrics.errors);
    if (metrics.errors.length) col.failIfNothing(`evidence about fleet ${name}`);
    const capacityErrors = metrics.series[0] ? summarize(metrics.series[0]).sum ?? 0 : null;
    const peakInUse = inUseMetric ? summarize(metrics.series[1] ?? null).peak : null;
    const f: Fleet | undefined = fl.value;
    const findings = rankFindings(fleetFindings(name, f, activities, capacityErrors, hours));
    const notes: string[] = [];
    if (!f) notes.push("The fleet itself could not be read (see errors): status is unknown; other evidence is shown.");
    if (f?.FleetType === "ELASTIC") {
      notes.push("Elastic fleets have no provisioned instances: running below desired is normal and not flagged.");
    }
    if (activities === undefined) notes.push("Scaling activities were not read (see errors).");
    if (inUseMetric && peakInUse === null && !metrics.errors.length) {
      notes.push(
        `${inUseMetric} has no data in the last ${hours} h: not published for this fleet in the window, ` +
          "so its use is unknown (not zero).",
      );
    }
    const status: Status = f ? overallStatus(findings) : "unknown";
    return {
      summary: headline("Fleet", name, status, findings),
      data: {
        ...base,
        status,
        findings,
        signals: { ...fleetSignals(f, activities, capacityErrors), in_use_metric: inUseMetric, peak_in_use: peakInUse },
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
    fleet_kind: f ? fleetKind(f) : null,
    in_use_metric: null,
    peak_in_use: null,
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
