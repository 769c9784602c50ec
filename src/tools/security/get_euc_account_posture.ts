/**
 * get_euc_account_posture: account-level WorkSpaces settings (BYOL, client properties, connection
 * aliases). Client properties are read 25 directory ids per call.
 */
import { z } from "zod";
import type { Aws } from "../../aws/clients.ts";
import { chunk, collect, mapLimit } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, finding, rankFindings } from "../_lib/findings.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { GONE_DIRECTORY_STATES } from "./_checks.ts";
import { dedupeErrors } from "./_errors.ts";

/** DescribeClientProperties calls in flight. */
const LOOKUP_CONCURRENCY = 4;
/** DescribeClientProperties takes at most 25 directory ids per call. */
const CLIENT_PROPERTIES_IDS_PER_CALL = 25;
/** Account modifications kept in the answer (newest first). */
const RECENT_MODIFICATIONS = 5;

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
