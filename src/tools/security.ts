/**
 * The security toolset: the posture audit and the account-level WorkSpaces settings.
 *
 * Improvements over the reference: multi-region fan-out with every finding stamped with its region;
 * IP rules are parsed (any /0, IPv4 or IPv6, is critical; ranges wider than BROAD_PREFIX a warning)
 * instead of prefix-matched; WorkSpaces Pools directories (which take no IP access control groups)
 * are not flagged; Secure Browser user settings are read once per settings object, not per portal;
 * findings are capped with complete counts; client properties are read in chunks of 25 ids.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../aws/clients.ts";
import type { AwsErrorInfo } from "../aws/errors.ts";
import { chunk, collect, mapLimit } from "../aws/paginate.ts";
import {
  allowListFindings,
  portalIpFindings,
  portalLoggingFindings,
  portalTransferFindings,
} from "./governance/_access_rules.ts";
import { Collection } from "./_lib/collection.ts";
import { Finding, finding, rankFindings, Severity, severityCounts } from "./_lib/findings.ts";
import { type Directory, listWorkspaces, type Workspace } from "../aws/listing.ts";
import { READ_ONLY, type ToolContext, type ToolDef } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";

/** Regions audited at once, and per-object lookups (user settings, IP access settings) in flight per region. */
const REGION_CONCURRENCY = 4;
const LOOKUP_CONCURRENCY = 4;
/** DescribeClientProperties takes at most 25 directory ids per call. */
const CLIENT_PROPERTIES_IDS_PER_CALL = 25;
/** Account modifications kept in the answer (newest first). */
const RECENT_MODIFICATIONS = 5;

type IpGroup = NonNullable<OpOutput<"workspaces", "DescribeIpGroups">["Result"]>[number];
type Portal = NonNullable<OpOutput<"workspaces-web", "ListPortals">["portals"]>[number];
type Stack = NonNullable<OpOutput<"appstream", "DescribeStacks">["Stacks"]>[number];
type UsageReport = NonNullable<
  OpOutput<"appstream", "DescribeUsageReportSubscriptions">["UsageReportSubscriptions"]
>[number];

/** Stack user settings that let data leave an Applications session. */
const STACK_EGRESS_ACTIONS = {
  CLIPBOARD_COPY_TO_LOCAL_DEVICE: "copy to the local clipboard",
  FILE_DOWNLOAD: "file download",
  PRINTING_TO_LOCAL_DEVICE: "printing to a local printer",
} as const;

/** Directory states in which IP access control no longer matters. */
const GONE_DIRECTORY_STATES = new Set(["DEREGISTERING", "DEREGISTERED"]);
/** Desktop states that no longer hold volumes. */
const GONE_DESKTOP_STATES = new Set(["TERMINATING", "TERMINATED"]);

/** What each finding is about, so a client can filter. */
const Check = z.enum([
  "volume_encryption",
  "directory_ip_groups",
  "ip_group_rules",
  "portal_ip_access",
  "portal_logging",
  "portal_user_settings",
  "stack_user_settings",
  "usage_reports",
  "summary",
]);
type Check = z.infer<typeof Check>;

const AuditFinding = Finding.extend({
  region: z.string().describe("The region the resource is in"),
  check: Check.describe("Which check produced the finding"),
});
type AuditFinding = z.infer<typeof AuditFinding>;

// ---------------------------------------------------------------- audit_security_posture

const AuditInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  // ~500 bytes a finding: 100 keep the answer near 50 KB; larger limits are trimmed to the result budget.
  limit: z.number().int().min(1).max(1000).default(100).describe(
    "Most findings returned, highest severity first (1–1000, default 100); severity_counts and total_count stay " +
      "complete. Answers over ~80 KB are trimmed with a note.",
  ),
});

const Checked = z.number().int().nullable();

const AuditOutput = z.object({
  region: z.string().describe("The region, or a comma-separated list when several were audited"),
  regions: z.array(z.string()),
  findings: z.array(AuditFinding).describe("Ranked: critical first; each names its region"),
  total_count: z.number().int().describe("Number of findings before the limit"),
  truncated: z.boolean().describe("True when more findings exist than are listed"),
  severity_counts: z.record(Severity, z.number().int()).describe("Counts over all findings, not just those listed"),
  resources_checked: z.object({
    workspaces: Checked,
    directories: Checked,
    ip_groups: Checked,
    portals: Checked,
    stacks: Checked,
  }).describe("Resources examined, summed over regions; null when no region could list that kind (see errors)"),
  errors: Errors,
  notes: Notes,
});

type Counts = { workspaces?: number; directories?: number; ip_groups?: number; portals?: number; stacks?: number };

interface RegionAudit {
  findings: AuditFinding[];
  checked: Counts;
  poolsDirectoriesSkipped: number;
}

function stamp(region: string, check: Check, findings: readonly Finding[]): AuditFinding[] {
  return findings.map((f) => ({ ...f, region, check }));
}

/** Personal desktops whose root or user volume is not encrypted (AWS omits the flag when false). */
function volumeFindings(workspaces: readonly Workspace[]): Finding[] {
  const out: Finding[] = [];
  for (const w of workspaces) {
    if (GONE_DESKTOP_STATES.has(w.State ?? "")) continue;
    const missing = [
      ...(w.RootVolumeEncryptionEnabled === true ? [] : ["root"]),
      ...(w.UserVolumeEncryptionEnabled === true ? [] : ["user"]),
    ];
    if (missing.length === 0) continue;
    out.push(finding(
      "warning",
      `Volumes not encrypted: ${missing.join("/")}`,
      `Desktop ${w.WorkspaceId}${w.UserName ? ` (user ${w.UserName})` : ""} has its ${missing.join(" and ")} volume${
        missing.length > 1 ? "s" : ""
      } unencrypted.`,
      "Encryption can only be chosen when a desktop is created: launch a replacement with root and user volume " +
        "encryption (a KMS key), move the user to it, then terminate this one.",
      w.WorkspaceId ?? null,
    ));
  }
  return out;
}

/**
 * Directories without IP access control groups use the default group, which allows every address.
 * WorkSpaces Pools directories (WorkspaceType "POOLS") take no IP access control groups — Pools
 * restrict source addresses through the SAML identity provider or the federation role's
 * aws:SourceIp condition — so they are skipped. The `wsd-` prefix alone decides nothing: Personal
 * directories for IAM Identity Center and Microsoft Entra ID users have `wsd-` ids too and do take
 * IP groups.
 */
function directoryFindings(directories: readonly Directory[]): { findings: Finding[]; poolsSkipped: number } {
  const findings: Finding[] = [];
  let poolsSkipped = 0;
  for (const d of directories) {
    if (d.WorkspaceType === "POOLS") {
      poolsSkipped++;
      continue;
    }
    if (GONE_DIRECTORY_STATES.has(d.State ?? "")) continue;
    if ((d.ipGroupIds ?? []).length > 0) continue;
    const name = d.DirectoryName ?? d.WorkspaceDirectoryName ?? d.Alias;
    findings.push(finding(
      "warning",
      "No IP access control groups",
      `Directory ${d.DirectoryId}${name ? ` (${name})` : ""} has no IP access control group, so the default group ` +
        "applies and users can connect to its desktops from any IP address.",
      "Create an IP access control group with your trusted public ranges (offices, VPN or NAT egress) and " +
        "associate it with the directory (CreateIpGroup, AssociateIpGroups).",
      d.DirectoryId ?? null,
    ));
  }
  return { findings, poolsSkipped };
}

function ipGroupFindings(groups: readonly IpGroup[], directories: readonly Directory[] | undefined): Finding[] {
  const out: Finding[] = [];
  for (const g of groups) {
    const rules = (g.userRules ?? []).map((r) => r.ipRule ?? "").filter(Boolean);
    let context = "";
    if (directories) {
      const used = directories.filter((d) => (d.ipGroupIds ?? []).includes(g.groupId ?? "")).map((d) => d.DirectoryId);
      context = used.length
        ? `; the group is associated with ${used.join(", ")}`
        : "; the group is not associated with any directory yet, but would open whichever it is attached to";
    }
    out.push(
      ...allowListFindings(
        rules,
        `IP access control group ${g.groupId}${g.groupName ? ` (${g.groupName})` : ""}`,
        g.groupId ?? "",
        context,
        "Update the group's rules (UpdateRulesOfIpGroup).",
      ),
    );
  }
  return out;
}

function stackFindings(stacks: readonly Stack[]): Finding[] {
  const out: Finding[] = [];
  for (const s of stacks) {
    const set = new Map((s.UserSettings ?? []).map((u) => [u.Action ?? "", u.Permission ?? ""]));
    // CreateStack: "By default, these actions are enabled" — an action with no entry is allowed.
    const allowed = (Object.keys(STACK_EGRESS_ACTIONS) as (keyof typeof STACK_EGRESS_ACTIONS)[])
      .filter((a) => (set.get(a) ?? "ENABLED") === "ENABLED");
    if (allowed.length === 0) continue;
    const defaulted = allowed.filter((a) => !set.has(a));
    out.push(finding(
      "warning",
      `Applications stack allows data egress (${allowed.map((a) => STACK_EGRESS_ACTIONS[a]).join(", ")})`,
      `Stack ${s.Name} enables ${allowed.join(", ")}${
        defaulted.length ? ` (${defaulted.join(", ")} by AWS default, no setting)` : ""
      }: users can move data from streamed applications to their own device.`,
      "Disable these actions in the stack's user settings (UpdateStack UserSettings) unless users need them.",
      s.Name ?? null,
    ));
  }
  return out;
}

function usageReportFindings(subs: readonly UsageReport[], stacks: number | undefined): Finding[] {
  if (subs.length === 0) {
    // Only relevant where WorkSpaces Applications is in use; an empty region gets no finding.
    if (!stacks) return [];
    return [finding(
      "info",
      "Usage reports not enabled",
      "WorkSpaces Applications usage reports (daily session and application reports in S3) are not enabled in this region.",
      "Enable usage reports (CreateUsageReportSubscription) to keep a record of who streamed which applications and when.",
    )];
  }
  const failing = subs.filter((s) => (s.SubscriptionErrors ?? []).length > 0);
  return failing.map((s) =>
    finding(
      "warning",
      "Usage reports are failing",
      `Reports to ${s.S3BucketName ?? "the S3 bucket"} fail: ${
        (s.SubscriptionErrors ?? []).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`).join("; ")
      }.`,
      "Fix the bucket and its policy (the service must be able to write to it), or re-create the subscription.",
      s.S3BucketName ?? null,
    )
  );
}

async function auditPortals(
  ctx: ToolContext,
  region: string,
  col: Collection,
): Promise<{ findings: [Check, Finding[]][]; count?: number }> {
  const o = { region, signal: ctx.signal };
  const aws = ctx.aws;
  const portals = await col.attempt(
    { service: "workspaces-web", operation: "ListPortals", region },
    async () => (await collect(aws, "workspaces-web", "ListPortals", {}, "portals", o)).items,
  );
  if (!portals) return { findings: [] };
  // Settings objects are shared between portals: read each one once.
  const userArns = [...new Set(portals.map((p) => p.userSettingsArn).filter((a): a is string => !!a))];
  const ipArns = [...new Set(portals.map((p) => p.ipAccessSettingsArn).filter((a): a is string => !!a))];
  const [users, ips] = await Promise.all([
    mapLimit(userArns, LOOKUP_CONCURRENCY, (userSettingsArn) =>
      col.attempt(
        { service: "workspaces-web", operation: "GetUserSettings", region },
        async () => (await aws.call("workspaces-web", "GetUserSettings", { userSettingsArn }, o)).userSettings,
      )),
    mapLimit(ipArns, LOOKUP_CONCURRENCY, (ipAccessSettingsArn) =>
      col.attempt(
        { service: "workspaces-web", operation: "GetIpAccessSettings", region },
        async () =>
          (await aws.call("workspaces-web", "GetIpAccessSettings", { ipAccessSettingsArn }, o)).ipAccessSettings,
      )),
  ]);
  const userByArn = new Map(userArns.map((a, i) => [a, users[i]]));
  const ipByArn = new Map(ipArns.map((a, i) => [a, ips[i]]));
  const findings: [Check, Finding[]][] = [];
  for (const p of portals) {
    findings.push(["portal_ip_access", portalIpFindings(p)]);
    const ip = p.ipAccessSettingsArn ? ipByArn.get(p.ipAccessSettingsArn) : undefined;
    if (ip) {
      findings.push([
        "portal_ip_access",
        allowListFindings(
          (ip.ipRules ?? []).map((r) => r.ipRange ?? "").filter(Boolean),
          `Secure Browser portal ${p.displayName ? `"${p.displayName}"` : p.portalArn} IP access settings`,
          p.portalArn ?? "",
          "",
          "Update the portal's IP access settings (UpdateIpAccessSettings).",
        ),
      ]);
    }
    findings.push(["portal_logging", portalLoggingFindings(p)]);
    const user = p.userSettingsArn ? userByArn.get(p.userSettingsArn) : undefined;
    if (user) findings.push(["portal_user_settings", portalTransferFindings(p, user)]);
  }
  return { findings, count: portals.length };
}

async function auditRegion(ctx: ToolContext, region: string, col: Collection): Promise<RegionAudit> {
  const o = { region, signal: ctx.signal };
  const aws = ctx.aws;
  const personal = (async () => {
    const listing = await col.attempt(
      { service: "workspaces", operation: "DescribeWorkspaces", region },
      () => listWorkspaces(aws, region, ctx.signal),
    );
    // listWorkspaces lists the directories first; when that failed, ask again so the error is reported.
    const directories = listing?.directories ?? await col.attempt(
      { service: "workspaces", operation: "DescribeWorkspaceDirectories", region },
      async () => (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items,
    );
    return { workspaces: listing?.workspaces, directories };
  })();
  const ipGroups = col.attempt(
    { service: "workspaces", operation: "DescribeIpGroups", region },
    async () => (await collect(aws, "workspaces", "DescribeIpGroups", {}, "Result", o)).items,
  );
  const portals = auditPortals(ctx, region, col);
  const stacks = col.attempt(
    { service: "appstream", operation: "DescribeStacks", region },
    async () => (await collect(aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items,
  );
  const usage = col.attempt(
    { service: "appstream", operation: "DescribeUsageReportSubscriptions", region },
    async () =>
      (await collect(aws, "appstream", "DescribeUsageReportSubscriptions", {}, "UsageReportSubscriptions", o)).items,
  );
  const [p, groups, web, stackList, subs] = await Promise.all([personal, ipGroups, portals, stacks, usage]);

  const findings: AuditFinding[] = [];
  if (p.workspaces) findings.push(...stamp(region, "volume_encryption", volumeFindings(p.workspaces)));
  let poolsDirectoriesSkipped = 0;
  if (p.directories) {
    const d = directoryFindings(p.directories);
    poolsDirectoriesSkipped = d.poolsSkipped;
    findings.push(...stamp(region, "directory_ip_groups", d.findings));
  }
  if (groups) findings.push(...stamp(region, "ip_group_rules", ipGroupFindings(groups, p.directories)));
  for (const [check, list] of web.findings) findings.push(...stamp(region, check, list));
  if (stackList) findings.push(...stamp(region, "stack_user_settings", stackFindings(stackList)));
  if (subs) findings.push(...stamp(region, "usage_reports", usageReportFindings(subs, stackList?.length)));
  return {
    findings,
    checked: {
      workspaces: p.workspaces?.length,
      directories: p.directories?.length,
      ip_groups: groups?.length,
      portals: web.count,
      stacks: stackList?.length,
    },
    poolsDirectoriesSkipped,
  };
}

/** One entry per (service, operation, region, code): per-object lookups that fail alike are reported once. */
function dedupeErrors(errors: readonly AwsErrorInfo[]): AwsErrorInfo[] {
  const seen = new Map<string, { info: AwsErrorInfo; n: number }>();
  for (const e of errors) {
    const key = `${e.service}|${e.operation}|${e.region}|${e.code}`;
    const hit = seen.get(key);
    if (hit) hit.n++;
    else seen.set(key, { info: e, n: 1 });
  }
  return [...seen.values()].map(({ info, n }) => n > 1 ? { ...info, message: `${info.message} (${n} calls)` } : info);
}

function sum(values: (number | undefined)[]): number | null {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/** The security posture of WorkSpaces, Applications and Secure Browser in one or more regions. */
export const auditSecurityPosture: ToolDef<typeof AuditInput, typeof AuditOutput> = {
  name: "audit_security_posture",
  title: "Audit EUC security posture",
  toolset: "security",
  tier: 0,
  actions: [
    "appstream:DescribeStacks",
    "appstream:DescribeUsageReportSubscriptions",
    "workspaces-web:GetIpAccessSettings",
    "workspaces-web:GetUserSettings",
    "workspaces-web:ListPortals",
    "workspaces:DescribeIpGroups",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
  ],
  annotations: READ_ONLY,
  description: "Audits the security posture of Amazon WorkSpaces Personal, WorkSpaces Applications (formerly " +
    "AppStream 2.0) and WorkSpaces Secure Browser (formerly WorkSpaces Web) per region (use `regions` for several): " +
    "unencrypted desktop volumes, directories without IP access control groups (Pools directories excepted), IP " +
    "rules open to the internet (any /0, IPv4 or IPv6 — critical) or overly broad, portals without IP restriction or " +
    "session logging, portal and stack settings that let data leave the session (copy, download, print), and " +
    "Applications usage reports. Findings are ranked critical first, each with its region and next step.",
  input: AuditInput,
  output: AuditOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    let done = 0;
    const scans = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const scan = await auditRegion(ctx, region, col);
      await ctx.progress(++done, regions.length, `audited ${region}`);
      return { region, scan };
    });
    col.failIfNothing("security posture data");
    const all: AuditFinding[] = [];
    for (const { region, scan } of scans) {
      const checkedSomething = Object.values(scan.checked).some((v) => v !== undefined);
      if (scan.findings.length === 0 && checkedSomething) {
        all.push({
          ...finding(
            "info",
            "No posture issues found",
            `Nothing to report in ${region} among the resources that could be checked${
              col.errors.some((e) => e.region === region) ? " (some checks failed: see errors)" : ""
            }.`,
            "No action needed.",
          ),
          region,
          check: "summary",
        });
      }
      all.push(...scan.findings);
    }
    const ranked = rankFindings(all) as AuditFinding[];
    const findings = ranked.slice(0, args.limit);
    const counts = severityCounts(all);
    const kinds = ["workspaces", "directories", "ip_groups", "portals", "stacks"] as const;
    const resources_checked = Object.fromEntries(
      kinds.map((k) => [k, sum(scans.map((s) => s.scan.checked[k]))]),
    ) as Record<(typeof kinds)[number], number | null>;
    const errors = dedupeErrors(col.errors);
    const notes: string[] = [];
    const pools = scans.reduce((n, s) => n + s.scan.poolsDirectoriesSkipped, 0);
    if (pools) {
      notes.push(
        `${pools} WorkSpaces Pools director${pools === 1 ? "y was" : "ies were"} not checked for IP access control ` +
          "groups: Pools take none (restrict source IPs through the SAML identity provider or the role's aws:SourceIp condition).",
      );
    }
    if (ranked.length > findings.length) {
      notes.push(
        `Showing ${findings.length} of ${ranked.length} findings (highest severity first); raise limit for more.`,
      );
    }
    if (errors.length) notes.push("Checks listed in errors could not run; their findings are missing, not clean.");
    const parts = (["critical", "warning", "info"] as const).filter((s) => counts[s] > 0).map((s) =>
      `${counts[s]} ${s}`
    );
    return {
      summary: `Security posture of ${regions.join(", ")}: ${parts.join(", ") || "no findings"}` +
        `${errors.length ? ` (${errors.length} checks failed)` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        findings,
        total_count: ranked.length,
        truncated: ranked.length > findings.length,
        severity_counts: counts,
        resources_checked,
        errors,
        notes,
      },
    };
  },
};

// ---------------------------------------------------------------- get_euc_account_posture

const AccountInput = z.object({ region: RegionInput });

const AccountOutput = z.object({
  region: z.string(),
  dedicated_tenancy_support: z.string().nullable().describe("BYOL (dedicated tenancy): ENABLED or DISABLED"),
  dedicated_tenancy_management_cidr: z.string().nullable().describe("The BYOL management network range"),
  dedicated_tenancy_account_type: z.string().nullable(),
  recent_account_modifications: z.array(z.object({
    state: z.string().nullable().describe("PENDING, COMPLETED or FAILED"),
    tenancy: z.string().nullable().describe("What the change set BYOL to"),
    started: z.string().nullable().describe("ISO 8601"),
    error: z.string().nullable(),
  })).describe(`The ${RECENT_MODIFICATIONS} newest BYOL modifications`),
  total_account_modifications: z.number().int().nullable(),
  client_properties_by_directory: z.record(
    z.string(),
    z.object({ ReconnectEnabled: z.string().nullable(), LogUploadEnabled: z.string().nullable() }),
  ).describe("WorkSpaces client properties per registered directory"),
  connection_aliases: z.array(z.object({
    alias_id: z.string(),
    connection_string: z.string().nullable(),
    state: z.string().nullable(),
    associated_directories: z.array(z.string()),
  })),
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

/** Reads client properties for every directory, 25 ids per DescribeClientProperties call. */
async function clientProperties(
  aws: Aws,
  region: string,
  ids: readonly string[],
  col: Collection,
  signal: AbortSignal,
): Promise<Record<string, { ReconnectEnabled: string | null; LogUploadEnabled: string | null }>> {
  const out: Record<string, { ReconnectEnabled: string | null; LogUploadEnabled: string | null }> = {};
  await mapLimit(chunk(ids, CLIENT_PROPERTIES_IDS_PER_CALL), LOOKUP_CONCURRENCY, async (ResourceIds) => {
    const res = await col.attempt(
      { service: "workspaces", operation: "DescribeClientProperties", region },
      () => aws.call("workspaces", "DescribeClientProperties", { ResourceIds }, { region, signal }),
    );
    for (const r of res?.ClientPropertiesList ?? []) {
      if (!r.ResourceId) continue;
      out[r.ResourceId] = {
        ReconnectEnabled: r.ClientProperties?.ReconnectEnabled ?? null,
        LogUploadEnabled: r.ClientProperties?.LogUploadEnabled ?? null,
      };
    }
  });
  return out;
}

/** Account-level WorkSpaces settings: BYOL, its recent changes, client properties and connection aliases. */
export const getEucAccountPosture: ToolDef<typeof AccountInput, typeof AccountOutput> = {
  name: "get_euc_account_posture",
  title: "WorkSpaces account posture",
  toolset: "security",
  tier: 0,
  actions: [
    "workspaces:DescribeAccount",
    "workspaces:DescribeAccountModifications",
    "workspaces:DescribeClientProperties",
    "workspaces:DescribeConnectionAliases",
    "workspaces:DescribeWorkspaceDirectories",
  ],
  annotations: READ_ONLY,
  description: "Account-level Amazon WorkSpaces settings in one region: BYOL (dedicated tenancy) support and its " +
    "management range, the most recent BYOL modifications, the WorkSpaces client properties of every directory " +
    "(saved-credential reconnect, diagnostic log upload) and the connection aliases used for cross-Region redirection.",
  input: AccountInput,
  output: AccountOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const aws = ctx.aws;
    const o = { region, signal: ctx.signal };
    const where = (operation: string) => ({ service: "workspaces", operation, region });
    const [account, mods, directories, aliases] = await Promise.all([
      col.attempt(where("DescribeAccount"), () => aws.call("workspaces", "DescribeAccount", {}, o)),
      col.attempt(
        where("DescribeAccountModifications"),
        async () =>
          (await collect(aws, "workspaces", "DescribeAccountModifications", {}, "AccountModifications", o)).items,
      ),
      col.attempt(
        where("DescribeWorkspaceDirectories"),
        async () => (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items,
      ),
      col.attempt(
        where("DescribeConnectionAliases"),
        async () => (await collect(aws, "workspaces", "DescribeConnectionAliases", {}, "ConnectionAliases", o)).items,
      ),
    ]);
    await ctx.progress(1, 2, "account settings read");
    const notes: string[] = [];
    const live = (directories ?? []).filter((d) => d.DirectoryId && !GONE_DIRECTORY_STATES.has(d.State ?? ""));
    const gone = (directories ?? []).length - live.length;
    if (gone) notes.push(`${gone} deregistered director${gone === 1 ? "y has" : "ies have"} no client properties.`);
    const props = await clientProperties(aws, region, live.map((d) => d.DirectoryId!), col, ctx.signal);
    await ctx.progress(2, 2, "client properties read");
    col.failIfNothing("account settings");

    const sorted = [...(mods ?? [])].sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    const recent = sorted.slice(0, RECENT_MODIFICATIONS).map((m) => ({
      state: m.ModificationState ?? null,
      tenancy: m.DedicatedTenancySupport ?? null,
      started: m.StartTime?.toISOString() ?? null,
      error: m.ErrorCode || m.ErrorMessage ? [m.ErrorCode, m.ErrorMessage].filter(Boolean).join(": ") : null,
    }));
    const findings: Finding[] = [];
    const latest = sorted[0];
    if (latest?.ModificationState === "FAILED") {
      findings.push(finding(
        "warning",
        "The latest BYOL (dedicated tenancy) change failed",
        `Started ${latest.StartTime?.toISOString() ?? "at an unknown time"}: ${
          (recent[0].error ?? "no error text").replace(/\.$/, "")
        }.`,
        "Check the management CIDR range (it must not overlap your VPCs) and retry ModifyAccount, or open an AWS support case.",
      ));
    } else if (latest?.ModificationState === "PENDING") {
      findings.push(finding(
        "info",
        "A BYOL (dedicated tenancy) change is in progress",
        `Started ${latest.StartTime?.toISOString() ?? "at an unknown time"}.`,
        "Wait for it to complete before importing BYOL images.",
      ));
    }
    const reconnect = Object.entries(props).filter(([, p]) => p.ReconnectEnabled === "ENABLED").map(([id]) => id);
    if (reconnect.length) {
      findings.push(finding(
        "info",
        "Users can reconnect with saved credentials",
        `Reconnect is enabled for ${reconnect.join(", ")}: the WorkSpaces client caches a token so users reconnect ` +
          "without signing in again.",
        "Disable it (ModifyClientProperties ReconnectEnabled=DISABLED) where desktops are used from shared or unmanaged devices.",
        reconnect.length === 1 ? reconnect[0] : null,
      ));
    }
    const connection_aliases = (aliases ?? []).map((a) => ({
      alias_id: a.AliasId ?? "",
      connection_string: a.ConnectionString ?? null,
      state: a.State ?? null,
      associated_directories: (a.Associations ?? []).map((x) => x.ResourceId ?? "").filter(Boolean),
    }));
    if (col.errors.length) notes.push("Sections listed in errors are missing, not empty.");
    const errors = dedupeErrors(col.errors);
    return {
      summary: `WorkSpaces account in ${region}: BYOL ${account?.DedicatedTenancySupport ?? "unknown"}, ` +
        `${
          Object.keys(props).length
        } directories with client properties, ${connection_aliases.length} connection aliases` +
        `${errors.length ? ` (${errors.length} errors)` : ""}.`,
      data: {
        region,
        dedicated_tenancy_support: account?.DedicatedTenancySupport ?? null,
        dedicated_tenancy_management_cidr: account?.DedicatedTenancyManagementCidrRange ?? null,
        dedicated_tenancy_account_type: account?.DedicatedTenancyAccountType ?? null,
        recent_account_modifications: recent,
        total_account_modifications: mods ? mods.length : null,
        client_properties_by_directory: props,
        connection_aliases,
        findings: rankFindings(findings),
        errors,
        notes,
      },
    };
  },
};

/** The tools of this toolset, in registration order. */
export const SECURITY_TOOLS = [auditSecurityPosture, getEucAccountPosture] as const;
