/**
 * The directory check several diagnoses share: a directory's WorkSpaces registration and its AWS
 * Directory Service stage, as evidence, signals and ranked findings. Directories are listed with
 * pagination and Directory Service is asked once for all of them, never for WorkSpaces-managed
 * `wsd-` ids.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import type { Directory } from "../../aws/listing.ts";
import { collect } from "../../aws/paginate.ts";
import type { Collection } from "../_lib/collection.ts";
import { type Finding, finding } from "../_lib/findings.ts";
import { iso } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { lookup } from "./_diagnosis.ts";

type DsDirectory = NonNullable<OpOutput<"ds", "DescribeDirectories">["DirectoryDescriptions"]>[number];

/** What a diagnosis shows of one directory: its registration, creation settings and stage. */
export const DirectorySignals = z.object({
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
/** One directory's signals. */
export type DirectorySignals = z.infer<typeof DirectorySignals>;

/** What the two directory lookups found. */
export interface DirectoryEvidence {
  id: string;
  /** The WorkSpaces registration; "missing" when WorkSpaces does not know the id; undefined when the lookup failed. */
  registration?: Directory | "missing";
  /** Directory Service: its description, "missing", "managed" (wsd-), "other" (not a DS id) or undefined (failed). */
  ds?: DsDirectory | "missing" | "managed" | "other";
}

const MANAGED_STAGE = "N/A (WorkSpaces-managed)";

/** Whether an id is Directory Service's (d-…), WorkSpaces-managed (wsd-…) or neither. */
export function dsKind(id: string): "ds" | "managed" | "other" {
  if (IDS.dsDirectory.test(id)) return "ds";
  return id.startsWith("wsd-") ? "managed" : "other";
}

/**
 * Directory Service descriptions of `ids` (d- ids only) in as few calls as possible: one paginated
 * DescribeDirectories with the whole list. AWS fails the whole call when one id does not exist, so
 * then the account's directories are listed instead and the absent ones are reported missing.
 */
export async function describeDsDirectories(
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
export async function checkDirectory(
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

/** The signals of one directory's evidence. */
export function directorySignals(e: DirectoryEvidence): DirectorySignals {
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
export function directoryFindings(e: DirectoryEvidence): Finding[] {
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

/** The directory signals flattened with a `directory_` prefix, where the Python server's diagnoses put them. */
export const FlatDirectorySignals = {
  directory_registration_state: z.string().nullable(),
  directory_type: z.string().nullable(),
  directory_workspace_type: z.string().nullable(),
  directory_stage: z.string().nullable(),
  directory_stage_reason: z.string().nullable(),
};

/** Values of FlatDirectorySignals (all null when the directory was not read). */
export function flatDirectorySignals(d: DirectorySignals | undefined) {
  return {
    directory_registration_state: d?.registration_state ?? null,
    directory_type: d?.directory_type ?? null,
    directory_workspace_type: d?.workspace_type ?? null,
    directory_stage: d?.stage ?? null,
    directory_stage_reason: d?.stage_reason ?? null,
  };
}
