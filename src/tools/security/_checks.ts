/**
 * The posture checks of the security toolset, one pure function per resource kind: desktop
 * volumes, directories' IP access control groups, IP group rules, stack user settings and usage
 * reports. Each turns what AWS returned into findings.
 */
import type { OpOutput } from "../../aws/clients.ts";
import type { Directory, Workspace } from "../../aws/listing.ts";
import { allowListFindings } from "../_lib/access_rules.ts";
import { type Finding, finding } from "../_lib/findings.ts";

type IpGroup = NonNullable<OpOutput<"workspaces", "DescribeIpGroups">["Result"]>[number];
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
export const GONE_DIRECTORY_STATES = new Set(["DEREGISTERING", "DEREGISTERED"]);
/** Desktop states that no longer hold volumes. */
const GONE_DESKTOP_STATES = new Set(["TERMINATING", "TERMINATED"]);

/** Personal desktops whose root or user volume is not encrypted (AWS omits the flag when false). */
export function volumeFindings(workspaces: readonly Workspace[]): Finding[] {
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
export function directoryFindings(directories: readonly Directory[]): { findings: Finding[]; poolsSkipped: number } {
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

/** Findings for IP group rules open to the internet or too broad, naming the directories each group opens. */
export function ipGroupFindings(groups: readonly IpGroup[], directories: readonly Directory[] | undefined): Finding[] {
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

/** Stacks whose user settings let data leave the session (unset actions are enabled by AWS default). */
export function stackFindings(stacks: readonly Stack[]): Finding[] {
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

/** Usage reports missing where stacks exist (info) or failing (warning). */
export function usageReportFindings(subs: readonly UsageReport[], stacks: number | undefined): Finding[] {
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
