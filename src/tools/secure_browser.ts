/**
 * The secure-browser toolset: WorkSpaces Secure Browser portal details and usage.
 *
 * Improvements over the reference: the portal is validated (ARN or UUID) before any call and its
 * region comes from the ARN; a bare id is resolved through ListPortals; a missing portal is a
 * NotFound result, not an error list; settings objects are read side by side with per-object
 * errors; the browser policy summary is bounded; live sessions come from ListSessions (real time)
 * and history from one batched GetMetricData request; idle portals are reported as idle, not failed.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../aws/clients.ts";
import { AwsCallError } from "../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow, type Series } from "../aws/metrics.ts";
import { collect, pages } from "../aws/paginate.ts";
import {
  allowListFindings,
  portalIpFindings,
  portalLoggingFindings,
  portalTransferFindings,
} from "./governance/_access_rules.ts";
import { Collection } from "./_lib/collection.ts";
import { Finding, overallStatus, rankFindings, Status } from "./_lib/findings.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "./registry.ts";
import { Errors, Notes, RegionInput } from "./_lib/schemas.ts";

type Portal = NonNullable<OpOutput<"workspaces-web", "GetPortal">["portal"]>;

/** A portal id: the UUID at the end of its ARN. */
const PORTAL_ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const PORTAL_ARN = `arn:aws[a-z-]*:workspaces-web:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:portal/${PORTAL_ID}`;
const PORTAL_REF = new RegExp(`^(?:${PORTAL_ARN}|${PORTAL_ID})$`);
const ARN_PARTS = /^arn:aws[a-z-]*:workspaces-web:([a-z0-9-]+):\d{12}:portal\/(.+)$/;
const PORTAL_REF_MESSAGE =
  "must be a WorkSpaces Secure Browser portal ARN (arn:aws:workspaces-web:<region>:<account>:portal/<id>) or a portal id (a UUID)";

/** Browser policy lists longer than this are cut, with a "... (+N more)" marker. */
const POLICY_LIST_CAP = 20;
/** Browser policy strings longer than this are truncated. */
const POLICY_STRING_CAP = 200;
/** URL allow/block lists are returned up to this length. */
const URL_LIST_CAP = 100;
/** Live sessions listed (the count stays complete). */
const SESSION_LIST_CAP = 200;
/** Datapoints per metric series returned (the newest; the totals use every point). */
const DATAPOINT_CAP = 100;

/** The portal as the caller named it: its id, and its ARN and region when an ARN was given. */
interface PortalRef {
  id: string;
  arn?: string;
  arnRegion?: string;
}

function parsePortalRef(value: string): PortalRef {
  const m = ARN_PARTS.exec(value);
  if (m) return { id: m[2], arn: value, arnRegion: m[1] };
  return { id: value };
}

/** The region to call: the ARN's own region wins over `region` (a note says so when they differ). */
async function portalRegion(ctx: ToolContext, ref: PortalRef, region: string | undefined, notes: string[]) {
  if (ref.arnRegion) {
    if (region && region !== ref.arnRegion) {
      notes.push(`The portal ARN is in ${ref.arnRegion}; the region parameter (${region}) was not used.`);
    }
    return ref.arnRegion;
  }
  const [r] = await ctx.regions({ region });
  return r;
}

function notFound(id: string, region: string): ToolFailure {
  return new ToolFailure(
    "NotFound",
    `No WorkSpaces Secure Browser portal ${id} in ${region}.`,
    "Check the id and the region (portals are per region): list them with generate_inventory_report " +
      '(services: "secure-browser"), or pass the full portal ARN, which names its region.',
  );
}

/** Finds a portal's ARN from its bare id by listing the region's portals (stops at the match). */
async function resolvePortalArn(aws: Aws, id: string, region: string, signal: AbortSignal): Promise<string> {
  const lower = id.toLowerCase();
  for await (const page of pages(aws, "workspaces-web", "ListPortals", {}, { region, signal })) {
    const hit = (page.portals ?? []).find((p) => p.portalArn?.toLowerCase().endsWith(`/${lower}`));
    if (hit?.portalArn) return hit.portalArn;
  }
  throw notFound(id, region);
}

// ---------------------------------------------------------------- browser policy

const BrowserPolicy = z.object({
  policy_count: z.number().int(),
  policy_names: z.array(z.string()),
  url_allowlist: z.array(z.string()).describe("URLAllowlist (or the legacy URLWhitelist)"),
  url_blocklist: z.array(z.string()).describe("URLBlocklist (or the legacy URLBlacklist)"),
  policies: z.record(z.string(), z.unknown()).describe(
    `Each Chrome policy's value; lists over ${POLICY_LIST_CAP} items and strings over ${POLICY_STRING_CAP} characters are cut`,
  ),
  parse_error: z.string().nullable().describe("Set when the browserPolicy JSON could not be read"),
});
type BrowserPolicy = z.infer<typeof BrowserPolicy>;

function capList(list: readonly unknown[], cap: number): unknown[] {
  return list.length > cap ? [...list.slice(0, cap), `... (+${list.length - cap} more)`] : [...list];
}

/** A policy value, bounded: long lists and strings are cut, nesting is limited. */
function boundedValue(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return v.length > POLICY_STRING_CAP ? `${v.slice(0, POLICY_STRING_CAP)}…` : v;
  if (Array.isArray(v)) return capList(v, POLICY_LIST_CAP).map((x) => boundedValue(x, depth + 1));
  if (v && typeof v === "object") {
    if (depth >= 3) return boundedValue(JSON.stringify(v), depth);
    const entries = Object.entries(v as Record<string, unknown>);
    const kept = entries.slice(0, POLICY_LIST_CAP).map(([k, x]) => [k, boundedValue(x, depth + 1)]);
    if (entries.length > POLICY_LIST_CAP) kept.push(["...", `(+${entries.length - POLICY_LIST_CAP} more keys)`]);
    return Object.fromEntries(kept);
  }
  return v;
}

function urlList(policies: Record<string, unknown>, ...names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const v = policies[n];
    if (Array.isArray(v)) out.push(...v.map(String));
  }
  return capList([...new Set(out)], URL_LIST_CAP) as string[];
}

/** Summarises the browserPolicy JSON ({"chromePolicies": {"Name": {"value": …}}}). */
function summarizeBrowserPolicy(json: string): BrowserPolicy {
  let chrome: Record<string, unknown>;
  try {
    const parsed = JSON.parse(json) as { chromePolicies?: Record<string, unknown> };
    chrome = parsed?.chromePolicies && typeof parsed.chromePolicies === "object" ? parsed.chromePolicies : {};
  } catch (e) {
    return {
      policy_count: 0,
      policy_names: [],
      url_allowlist: [],
      url_blocklist: [],
      policies: {},
      parse_error: (e as Error).message,
    };
  }
  // Each policy is {"value": …}; take the value, or the entry itself when it has no value member.
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(chrome)) {
    values[name] = entry && typeof entry === "object" && !Array.isArray(entry) && "value" in entry
      ? (entry as { value: unknown }).value
      : entry;
  }
  const names = Object.keys(values);
  return {
    policy_count: names.length,
    policy_names: names,
    url_allowlist: urlList(values, "URLAllowlist", "URLWhitelist"),
    url_blocklist: urlList(values, "URLBlocklist", "URLBlacklist"),
    policies: Object.fromEntries(names.map((n) => [n, boundedValue(values[n])])),
    parse_error: null,
  };
}

// ---------------------------------------------------------------- get_secure_browser_portal_details

const PortalRefInput = z.string().max(2048).regex(PORTAL_REF, PORTAL_REF_MESSAGE);

const DetailsInput = z.object({
  portal_arn: PortalRefInput.describe(
    "The portal's ARN (arn:aws:workspaces-web:<region>:<account>:portal/<id>) or its id (the UUID at the end of the ARN)",
  ),
  region: RegionInput.describe("Region of a portal given by id; an ARN names its own region"),
});

const Enabled = z.string().nullable().describe("Enabled or Disabled");

const DetailsOutput = z.object({
  portal_arn: z.string(),
  region: z.string(),
  display_name: z.string().nullable(),
  authentication_type: z.string().nullable().describe("Standard (your SAML IdP) or IAM_Identity_Center"),
  status: z.string().nullable().describe("Active, Incomplete or Pending"),
  status_reason: z.string().nullable(),
  portal_endpoint: z.string().nullable(),
  browser_type: z.string().nullable(),
  instance_type: z.string().nullable(),
  max_concurrent_sessions: z.number().int().nullable(),
  created: z.string().nullable(),
  user_settings: z.object({
    copyAllowed: Enabled,
    pasteAllowed: Enabled,
    downloadAllowed: Enabled,
    uploadAllowed: Enabled,
    printAllowed: Enabled,
    deepLinkAllowed: Enabled,
    webAuthnAllowed: Enabled,
    disconnectTimeoutInMinutes: z.number().nullable(),
    idleDisconnectTimeoutInMinutes: z.number().nullable(),
  }).nullable().describe("null when none is attached or it could not be read (see errors)"),
  network: z.object({
    vpcId: z.string().nullable(),
    subnetIds: z.array(z.string()),
    securityGroupIds: z.array(z.string()),
  }).nullable(),
  has_browser_policy: z.boolean(),
  browser_policy: BrowserPolicy.nullable(),
  ip_access: z.object({
    allowed_ranges: z.array(z.string()),
    display_name: z.string().nullable(),
  }).nullable().describe("null when the portal has no IP access settings: any address can sign in"),
  has_session_logging: z.boolean().describe("User access logging or a session logger is attached"),
  user_access_logging: z.boolean(),
  session_logger: z.boolean(),
  identity_providers: z.array(z.object({ name: z.string().nullable(), type: z.string().nullable() })),
  has_data_protection: z.boolean(),
  data_protection: z.object({
    builtin_pattern_ids: z.array(z.string()),
    custom_patterns: z.array(z.object({
      name: z.string().nullable(),
      description: z.string().nullable(),
      keyword_regex: z.string().nullable(),
    })),
    pattern_count: z.number().int(),
    global_confidence_level: z.number().nullable(),
    enforced_urls: z.array(z.string()),
    exempt_urls: z.array(z.string()),
  }).nullable(),
  status_assessment: Status.describe("The worst finding: critical → unhealthy, warning → degraded, else healthy"),
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});
type Details = z.infer<typeof DetailsOutput>;

async function getPortal(aws: Aws, arn: string, id: string, region: string, signal: AbortSignal): Promise<Portal> {
  try {
    const out = await aws.call("workspaces-web", "GetPortal", { portalArn: arn }, { region, signal });
    if (!out.portal) throw notFound(id, region);
    return out.portal;
  } catch (e) {
    if (e instanceof AwsCallError && e.info.code === "NotFound") throw notFound(id, region);
    throw e;
  }
}

/** Everything attached to one Secure Browser portal, with findings. */
export const getSecureBrowserPortalDetails: ToolDef<typeof DetailsInput, typeof DetailsOutput> = {
  name: "get_secure_browser_portal_details",
  title: "Secure Browser portal details",
  toolset: "secure-browser",
  tier: 0,
  actions: [
    "workspaces-web:GetBrowserSettings",
    "workspaces-web:GetDataProtectionSettings",
    "workspaces-web:GetIpAccessSettings",
    "workspaces-web:GetNetworkSettings",
    "workspaces-web:GetPortal",
    "workspaces-web:GetUserSettings",
    "workspaces-web:ListIdentityProviders",
    "workspaces-web:ListPortals",
  ],
  annotations: READ_ONLY,
  description: "Everything about one Amazon WorkSpaces Secure Browser (formerly WorkSpaces Web) portal: status, " +
    "authentication, what users may copy, paste, download, upload and print, network (VPC, subnets, security " +
    "groups), the Chrome browser policy (URL allow/block lists and each policy), allowed IP ranges, logging, " +
    "identity providers and data protection (redaction patterns), with findings for open access, data egress and " +
    "missing logging. Accepts the portal ARN or its id.",
  input: DetailsInput,
  output: DetailsOutput,
  async run(ctx, args) {
    const notes: string[] = [];
    const ref = parsePortalRef(args.portal_arn);
    const region = await portalRegion(ctx, ref, args.region, notes);
    const aws = ctx.aws;
    const o = { region, signal: ctx.signal };
    const arn = ref.arn ?? await resolvePortalArn(aws, ref.id, region, ctx.signal);
    const portal = await getPortal(aws, arn, ref.id, region, ctx.signal);
    await ctx.progress(1, 2, "portal read");
    const col = new Collection();
    const at = (operation: string) => ({ service: "workspaces-web", operation, region });
    const [user, network, browser, ip, idps, dp] = await Promise.all([
      portal.userSettingsArn
        ? col.attempt(
          at("GetUserSettings"),
          async () =>
            (await aws.call("workspaces-web", "GetUserSettings", { userSettingsArn: portal.userSettingsArn }, o))
              .userSettings,
        )
        : undefined,
      portal.networkSettingsArn
        ? col.attempt(
          at("GetNetworkSettings"),
          async () =>
            (await aws.call(
              "workspaces-web",
              "GetNetworkSettings",
              { networkSettingsArn: portal.networkSettingsArn },
              o,
            ))
              .networkSettings,
        )
        : undefined,
      portal.browserSettingsArn
        ? col.attempt(
          at("GetBrowserSettings"),
          async () =>
            (await aws.call(
              "workspaces-web",
              "GetBrowserSettings",
              { browserSettingsArn: portal.browserSettingsArn },
              o,
            ))
              .browserSettings,
        )
        : undefined,
      portal.ipAccessSettingsArn
        ? col.attempt(at("GetIpAccessSettings"), async () =>
          (await aws.call("workspaces-web", "GetIpAccessSettings", {
            ipAccessSettingsArn: portal.ipAccessSettingsArn,
          }, o)).ipAccessSettings)
        : undefined,
      col.attempt(
        at("ListIdentityProviders"),
        async () =>
          (await collect(aws, "workspaces-web", "ListIdentityProviders", { portalArn: arn }, "identityProviders", o))
            .items,
      ),
      portal.dataProtectionSettingsArn
        ? col.attempt(
          at("GetDataProtectionSettings"),
          async () =>
            (await aws.call("workspaces-web", "GetDataProtectionSettings", {
              dataProtectionSettingsArn: portal.dataProtectionSettingsArn,
            }, o)).dataProtectionSettings,
        )
        : undefined,
    ]);
    await ctx.progress(2, 2, "settings read");

    const browser_policy = browser?.browserPolicy ? summarizeBrowserPolicy(browser.browserPolicy) : null;
    if (browser_policy?.parse_error) {
      notes.push(`The browser policy JSON could not be parsed: ${browser_policy.parse_error}`);
    }
    const ranges = (ip?.ipRules ?? []).map((r) => r.ipRange ?? "").filter(Boolean);
    const redaction = dp?.inlineRedactionConfiguration;
    const patterns = redaction?.inlineRedactionPatterns ?? [];

    const findings: Finding[] = [...portalIpFindings(portal)];
    if (ip) {
      findings.push(
        ...allowListFindings(
          ranges,
          "Portal IP access settings",
          arn,
          "",
          "Update the portal's IP access settings (UpdateIpAccessSettings).",
        ),
      );
    }
    findings.push(...portalLoggingFindings(portal));
    if (user) findings.push(...portalTransferFindings(portal, user));
    if (portal.portalStatus && portal.portalStatus !== "Active") {
      findings.push({
        severity: "warning",
        title: `Portal is ${portal.portalStatus}`,
        detail: portal.statusReason ?? "The portal is not serving sessions yet.",
        recommendation: portal.portalStatus === "Incomplete"
          ? "Attach the missing settings (network, user, browser) and an identity provider to finish the portal."
          : "Wait for the portal to become Active, then check again.",
        resource_id: arn,
      });
    }
    const ranked = rankFindings(findings);
    const status_assessment = ranked.length ? overallStatus(ranked) : "healthy";
    const name = portal.displayName ?? ref.id;
    const data: Details = {
      portal_arn: arn,
      region,
      display_name: portal.displayName ?? null,
      authentication_type: portal.authenticationType ?? null,
      status: portal.portalStatus ?? null,
      status_reason: portal.statusReason ?? null,
      portal_endpoint: portal.portalEndpoint ?? null,
      browser_type: portal.browserType ?? null,
      instance_type: portal.instanceType ?? null,
      max_concurrent_sessions: portal.maxConcurrentSessions ?? null,
      created: portal.creationDate?.toISOString() ?? null,
      user_settings: user
        ? {
          copyAllowed: user.copyAllowed ?? null,
          pasteAllowed: user.pasteAllowed ?? null,
          downloadAllowed: user.downloadAllowed ?? null,
          uploadAllowed: user.uploadAllowed ?? null,
          printAllowed: user.printAllowed ?? null,
          deepLinkAllowed: user.deepLinkAllowed ?? null,
          webAuthnAllowed: user.webAuthnAllowed ?? null,
          disconnectTimeoutInMinutes: user.disconnectTimeoutInMinutes ?? null,
          idleDisconnectTimeoutInMinutes: user.idleDisconnectTimeoutInMinutes ?? null,
        }
        : null,
      network: network
        ? {
          vpcId: network.vpcId ?? null,
          subnetIds: network.subnetIds ?? [],
          securityGroupIds: network.securityGroupIds ?? [],
        }
        : null,
      has_browser_policy: !!browser?.browserPolicy,
      browser_policy,
      ip_access: ip ? { allowed_ranges: ranges, display_name: ip.displayName ?? null } : null,
      has_session_logging: !!(portal.userAccessLoggingSettingsArn || portal.sessionLoggerArn),
      user_access_logging: !!portal.userAccessLoggingSettingsArn,
      session_logger: !!portal.sessionLoggerArn,
      identity_providers: (idps ?? []).map((p) => ({
        name: p.identityProviderName ?? null,
        type: p.identityProviderType ?? null,
      })),
      has_data_protection: !!portal.dataProtectionSettingsArn,
      data_protection: dp
        ? {
          builtin_pattern_ids: patterns.map((p) => p.builtInPatternId).filter((x): x is string => !!x),
          custom_patterns: patterns.filter((p) => p.customPattern).map((p) => ({
            name: p.customPattern?.patternName ?? null,
            description: p.customPattern?.patternDescription ?? null,
            keyword_regex: p.customPattern?.keywordRegex ?? null,
          })),
          pattern_count: patterns.length,
          global_confidence_level: redaction?.globalConfidenceLevel ?? null,
          enforced_urls: redaction?.globalEnforcedUrls ?? [],
          exempt_urls: redaction?.globalExemptUrls ?? [],
        }
        : null,
      status_assessment,
      findings: ranked,
      errors: col.errors,
      notes,
    };
    if (portal.authenticationType === "IAM_Identity_Center" && data.identity_providers.length === 0) {
      notes.push(
        "Users sign in through IAM Identity Center, which holds the identity source; no portal IdP is listed.",
      );
    }
    if (col.errors.length) {
      notes.push("Settings listed in errors could not be read; their sections are null, not absent.");
    }
    const worst = ranked.filter((f) => f.severity !== "info").length;
    return {
      summary: `Portal ${name} (${portal.portalStatus ?? "status unknown"}, ${region}): ${
        worst ? `${worst} issue${worst === 1 ? "" : "s"}, worst: ${ranked[0].title}` : "no issues found"
      }${col.errors.length ? ` (${col.errors.length} settings could not be read)` : ""}.`,
      data,
    };
  },
};

// ---------------------------------------------------------------- get_secure_browser_portal_usage

/** The Secure Browser metrics (namespace AWS/WorkSpacesWeb, dimension PortalId) and statistics read. */
const SESSION_METRICS = ["SessionAttempt", "SessionSuccess", "SessionFailure"] as const;
const SESSION_STATS = ["Sum", "Average", "Maximum"] as const;

const UsageInput = z.object({
  portal: PortalRefInput.describe("The portal's id (the UUID at the end of its ARN) or its ARN"),
  region: RegionInput.describe("Region of a portal given by id; an ARN names its own region"),
  lookback_days: z.number().int().min(1).max(90).default(7).describe("Days of session history (1–90, default 7)"),
  period_hours: z.number().int().min(1).max(168).default(24).describe(
    "Hours per history datapoint (1–168, default 24; raised when CloudWatch retention requires)",
  ),
});

const MetricSeries = z.object({
  metric: z.enum(SESSION_METRICS),
  stat: z.enum(SESSION_STATS),
  datapoint_count: z.number().int(),
  datapoints: z.array(z.object({ timestamp: z.string(), value: z.number() })).describe(
    `The newest ${DATAPOINT_CAP} datapoints, oldest first`,
  ),
  peak: z.number().nullable(),
  total: z.number().nullable().describe("Sum of the datapoints, for the Sum statistic only"),
});

const UsageOutput = z.object({
  portal: z.string().describe("The portal id"),
  portal_arn: z.string().nullable(),
  region: z.string(),
  active_session_count: z.number().int().nullable().describe("Live, from ListSessions; null when it failed"),
  active_sessions: z.array(z.object({
    session_id: z.string().nullable(),
    username: z.string().nullable(),
    status: z.string().nullable(),
    start_time: z.string().nullable(),
  })).describe(`Up to ${SESSION_LIST_CAP} live sessions, newest first`),
  truncated: z.boolean(),
  lookback_days: z.number().int(),
  period_hours: z.number().describe("Hours per datapoint actually used"),
  historic_metrics: z.array(MetricSeries).describe(
    "AWS/WorkSpacesWeb by PortalId; empty series mean no activity (idle portals publish nothing)",
  ),
  totals: z.object({
    attempts: z.number().nullable(),
    successes: z.number().nullable(),
    failures: z.number().nullable(),
    success_rate_pct: z.number().nullable(),
  }).describe("Sums over the lookback window; null when the history could not be read"),
  summary: z.string(),
  errors: Errors,
  notes: Notes,
});

function seriesOut(
  metric: (typeof SESSION_METRICS)[number],
  stat: (typeof SESSION_STATS)[number],
  s: Series | null,
): z.infer<typeof MetricSeries> {
  const values = s?.values ?? [];
  const timestamps = s?.timestamps ?? [];
  const from = Math.max(0, values.length - DATAPOINT_CAP);
  return {
    metric,
    stat,
    datapoint_count: values.length,
    datapoints: values.slice(from).map((v, i) => ({
      timestamp: new Date(timestamps[from + i]).toISOString(),
      value: Math.round(v * 1000) / 1000,
    })),
    peak: values.length ? Math.max(...values) : null,
    total: stat === "Sum" && values.length ? Math.round(values.reduce((a, b) => a + b, 0) * 1000) / 1000 : null,
  };
}

/** Live sessions and session history of one Secure Browser portal. */
export const getSecureBrowserPortalUsage: ToolDef<typeof UsageInput, typeof UsageOutput> = {
  name: "get_secure_browser_portal_usage",
  title: "Secure Browser portal usage",
  toolset: "secure-browser",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "workspaces-web:ListSessions"],
  annotations: READ_ONLY,
  description: "Who is using an Amazon WorkSpaces Secure Browser portal right now (live sessions from " +
    "ListSessions, not CloudWatch) and how sign-ins went over the last days (session attempts, successes and " +
    "failures from CloudWatch AWS/WorkSpacesWeb). A portal without activity publishes no metrics: that is " +
    "reported as idle, not as a failure. Accepts the portal id or ARN.",
  input: UsageInput,
  output: UsageOutput,
  async run(ctx, args) {
    const notes: string[] = [];
    const ref = parsePortalRef(args.portal);
    const region = await portalRegion(ctx, ref, args.region, notes);
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    // Live sessions must come from the real-time API: CloudWatch is history only.
    let sessions: NonNullable<OpOutput<"workspaces-web", "ListSessions">["sessions"]> | undefined;
    try {
      sessions = (await collect(
        ctx.aws,
        "workspaces-web",
        "ListSessions",
        { portalId: ref.id, status: "Active", sortBy: "StartTimeDescending", maxResults: 100 },
        "sessions",
        o,
      )).items;
    } catch (e) {
      if (e instanceof AwsCallError && e.info.code === "NotFound") throw notFound(ref.id, region);
      if (!(e instanceof AwsCallError)) throw e;
      col.errors.push(e.info);
    }
    await ctx.progress(1, 2, "live sessions read");

    const window = metricWindow(args.lookback_days * 86_400_000, args.period_hours * 3600);
    const queries: MetricQuery[] = SESSION_METRICS.flatMap((metric) =>
      SESSION_STATS.map((stat) => ({
        namespace: "AWS/WorkSpacesWeb",
        metric,
        dimensions: { PortalId: ref.id },
        stat,
      }))
    );
    const history = await getMetricSeries(ctx.aws, region, queries, window, { signal: ctx.signal });
    col.errors.push(...history.errors);
    await ctx.progress(2, 2, "history read");

    const historic_metrics = queries.map((q, i) =>
      seriesOut(
        q.metric as (typeof SESSION_METRICS)[number],
        q.stat as (typeof SESSION_STATS)[number],
        history.series[i],
      )
    );
    const failed = history.series.every((s) => s === null);
    const sumOf = (metric: string) => {
      const s = historic_metrics.find((m) => m.metric === metric && m.stat === "Sum");
      return failed ? null : s?.total ?? 0;
    };
    const attempts = sumOf("SessionAttempt");
    const successes = sumOf("SessionSuccess");
    const failures = sumOf("SessionFailure");
    const success_rate_pct = attempts && successes !== null ? Math.round((successes / attempts) * 1000) / 10 : null;
    const idle = !failed && historic_metrics.every((m) => m.datapoint_count === 0);

    const live = sessions?.length ?? null;
    const livePart = live === null
      ? "live sessions could not be read"
      : `${live} active session${live === 1 ? "" : "s"} now`;
    let historyPart: string;
    if (failed) {
      historyPart = `session history unavailable (${history.errors[0]?.code ?? "error"}: see errors)`;
    } else if (idle) {
      historyPart =
        `no session activity in the last ${args.lookback_days} days (idle portals publish no CloudWatch metrics)`;
    } else {
      historyPart =
        `last ${args.lookback_days} days: ${attempts} session attempts, ${successes} successful, ${failures} failed` +
        (success_rate_pct !== null ? ` (${success_rate_pct}% success)` : "");
    }
    const summary = `Portal ${ref.id} in ${region}: ${livePart}; ${historyPart}.`;
    if (window.period !== args.period_hours * 3600) {
      notes.push(`Datapoints are ${window.period / 3600} hours apart: CloudWatch retention sets the shortest period.`);
    }
    notes.push(
      "Session metric names (AWS/WorkSpacesWeb SessionAttempt/SessionSuccess/SessionFailure by PortalId) follow the " +
        "reference implementation; if your account shows none despite activity, check the namespace in the CloudWatch console.",
    );
    const list = (sessions ?? []).slice(0, SESSION_LIST_CAP).map((s) => ({
      session_id: s.sessionId ?? null,
      username: s.username ?? null,
      status: s.status ?? null,
      start_time: s.startTime?.toISOString() ?? null,
    }));
    if (col.errors.length && !sessions && failed) col.failIfNothing("portal usage");
    return {
      summary,
      data: {
        portal: ref.id,
        portal_arn: ref.arn ?? null,
        region,
        active_session_count: live,
        active_sessions: list,
        truncated: (sessions?.length ?? 0) > list.length,
        lookback_days: args.lookback_days,
        period_hours: window.period / 3600,
        historic_metrics,
        totals: { attempts, successes, failures, success_rate_pct },
        summary,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** The tools of this toolset, in registration order. */
export const SECURE_BROWSER_TOOLS = [getSecureBrowserPortalDetails, getSecureBrowserPortalUsage] as const;
