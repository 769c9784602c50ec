/**
 * audit_security_posture: the security posture of WorkSpaces, Applications and Secure Browser.
 *
 * Improvements over the reference: multi-region fan-out with every finding stamped with its region;
 * IP rules are parsed (any /0, IPv4 or IPv6, is critical; ranges wider than BROAD_PREFIX a warning)
 * instead of prefix-matched; WorkSpaces Pools directories (which take no IP access control groups)
 * are not flagged; Secure Browser user settings are read once per settings object, not per portal;
 * findings are capped with complete counts.
 */
import { z } from "zod";
import { listWorkspaces } from "../../aws/listing.ts";
import { collectOnce } from "../../aws/listing_cache.ts";
import { collect, mapLimit } from "../../aws/paginate.ts";
import {
  allowListFindings,
  portalIpFindings,
  portalLoggingFindings,
  portalTransferFindings,
} from "../_lib/access_rules.ts";
import { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { Finding, finding, rankFindings, Severity, severityCounts } from "../_lib/findings.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolContext, type ToolDef } from "../registry.ts";
import { directoryFindings, ipGroupFindings, stackFindings, usageReportFindings, volumeFindings } from "./_checks.ts";
import { dedupeErrors } from "./_errors.ts";

/** Per-object lookups (user settings, IP access settings) in flight per region. */
const LOOKUP_CONCURRENCY = 4;

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

const AuditInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
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

async function auditPortals(
  ctx: ToolContext,
  region: string,
  col: Collection,
): Promise<{ findings: [Check, Finding[]][]; count?: number }> {
  const o = { region, signal: ctx.signal };
  const aws = ctx.aws;
  const portals = await col.attempt(
    { service: "workspaces-web", operation: "ListPortals", region },
    async () => (await collectOnce(aws, "workspaces-web", "ListPortals", {}, "portals", o)).items,
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
    async () => (await collectOnce(aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items,
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
    "workspaces:DescribeWorkspaceBundles",
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
    const scans = await forEachRegion(ctx, regions, async (region) => {
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
