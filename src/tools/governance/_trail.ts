/**
 * The audit trail's engine: which CloudTrail event sources and curated event names each EUC
 * service has, what counts as high-impact, and one tool call's budget of paced LookupEvents
 * calls (src/aws/cloudtrail.ts paces them across the whole process).
 */
import { type LookupKey, pacedLookup, type TrailEvent } from "../../aws/cloudtrail.ts";
import { PRODUCT } from "../../names.ts";
import type { Collection } from "../_lib/collection.ts";
import { parseServices } from "../_lib/services.ts";
import type { ToolContext } from "../registry.ts";

/** The services whose CloudTrail events the trail covers, by the value of `service`. */
export const TRAIL_SERVICES = ["workspaces", "applications", "secure-browser", "core"] as const;
/** One service of the trail. */
export type TrailService = typeof TRAIL_SERVICES[number];

/**
 * The verbs that make an operation a write, for the curated name lists below. The lists are every
 * operation of the service's SDK client whose name starts with one of them (optionally after
 * "Batch"); tests/tools/governance/_trail_test.ts derives them from the installed SDK clients and
 * fails when a new SDK release adds or removes one, so the data is never typed by hand.
 */
export const MUTATING_VERBS: readonly string[] = [
  "Create",
  "Delete",
  "Modify",
  "Update",
  "Start",
  "Stop",
  "Reboot",
  "Rebuild",
  "Restore",
  "Terminate",
  "Associate",
  "Disassociate",
  "Authorize",
  "Revoke",
  "Import",
  "Copy",
  "Register",
  "Deregister",
  "Migrate",
  "Expire",
  "Enable",
  "Disable",
  "Put",
  "Tag",
  "Untag",
  "Accept",
  "Reject",
  "Deploy",
  "Drain",
];

/** True when an operation name is a write by MUTATING_VERBS. */
export function isMutatingOperation(name: string): boolean {
  const rest = name.startsWith("Batch") ? name.slice(5) : name;
  return MUTATING_VERBS.some((v) => rest.startsWith(v) && /^[A-Z]/.test(rest.slice(v.length)));
}

/**
 * Each service's event source and its write events (every mutating SDK operation), looked up by
 * name when the account-wide scan cannot reach back far enough (REFERENCE item 28; a noisy
 * account's writes push EUC changes out of a 600-event page budget within hours). High-impact
 * names are looked up first (curatedOrder), so a spent call budget skips the least important.
 */
export const TRAIL: Readonly<Record<TrailService, { source: string; names: readonly string[] }>> = {
  workspaces: {
    source: "workspaces.amazonaws.com",
    names: [
      "AcceptAccountLinkInvitation",
      "AssociateConnectionAlias",
      "AssociateIpGroups",
      "AssociateWorkspaceApplication",
      "AuthorizeIpRules",
      "CopyWorkspaceImage",
      "CreateAccountLinkInvitation",
      "CreateConnectClientAddIn",
      "CreateConnectionAlias",
      "CreateIpGroup",
      "CreateStandbyWorkspaces",
      "CreateTags",
      "CreateUpdatedWorkspaceImage",
      "CreateWorkspaceBundle",
      "CreateWorkspaceImage",
      "CreateWorkspaces",
      "CreateWorkspacesPool",
      "DeleteAccountLinkInvitation",
      "DeleteClientBranding",
      "DeleteConnectClientAddIn",
      "DeleteConnectionAlias",
      "DeleteIpGroup",
      "DeleteTags",
      "DeleteWorkspaceBundle",
      "DeleteWorkspaceImage",
      "DeployWorkspaceApplications",
      "DeregisterWorkspaceDirectory",
      "DisassociateConnectionAlias",
      "DisassociateIpGroups",
      "DisassociateWorkspaceApplication",
      "ImportClientBranding",
      "ImportCustomWorkspaceImage",
      "ImportWorkspaceImage",
      "MigrateWorkspace",
      "ModifyAccount",
      "ModifyCertificateBasedAuthProperties",
      "ModifyClientProperties",
      "ModifyEndpointEncryptionMode",
      "ModifySamlProperties",
      "ModifySelfservicePermissions",
      "ModifyStreamingProperties",
      "ModifyWorkspaceAccessProperties",
      "ModifyWorkspaceCreationProperties",
      "ModifyWorkspaceProperties",
      "ModifyWorkspaceState",
      "RebootWorkspaces",
      "RebuildWorkspaces",
      "RegisterWorkspaceDirectory",
      "RejectAccountLinkInvitation",
      "RestoreWorkspace",
      "RevokeIpRules",
      "StartWorkspaces",
      "StartWorkspacesPool",
      "StopWorkspaces",
      "StopWorkspacesPool",
      "TerminateWorkspaces",
      "TerminateWorkspacesPool",
      "TerminateWorkspacesPoolSession",
      "UpdateConnectClientAddIn",
      "UpdateConnectionAliasPermission",
      "UpdateRulesOfIpGroup",
      "UpdateWorkspaceBundle",
      "UpdateWorkspaceImagePermission",
      "UpdateWorkspacesPool",
    ],
  },
  applications: {
    source: "appstream.amazonaws.com",
    names: [
      "AssociateAppBlockBuilderAppBlock",
      "AssociateApplicationFleet",
      "AssociateApplicationToEntitlement",
      "AssociateFleet",
      "AssociateSoftwareToImageBuilder",
      "BatchAssociateUserStack",
      "BatchDisassociateUserStack",
      "CopyImage",
      "CreateAppBlock",
      "CreateAppBlockBuilder",
      "CreateAppBlockBuilderStreamingURL",
      "CreateApplication",
      "CreateDirectoryConfig",
      "CreateEntitlement",
      "CreateExportImageTask",
      "CreateFleet",
      "CreateImageBuilder",
      "CreateImageBuilderStreamingURL",
      "CreateImportedImage",
      "CreateStack",
      "CreateStreamingURL",
      "CreateThemeForStack",
      "CreateUpdatedImage",
      "CreateUsageReportSubscription",
      "CreateUser",
      "DeleteAppBlock",
      "DeleteAppBlockBuilder",
      "DeleteApplication",
      "DeleteDirectoryConfig",
      "DeleteEntitlement",
      "DeleteFleet",
      "DeleteImage",
      "DeleteImageBuilder",
      "DeleteImagePermissions",
      "DeleteStack",
      "DeleteThemeForStack",
      "DeleteUsageReportSubscription",
      "DeleteUser",
      "DisableUser",
      "DisassociateAppBlockBuilderAppBlock",
      "DisassociateApplicationFleet",
      "DisassociateApplicationFromEntitlement",
      "DisassociateFleet",
      "DisassociateSoftwareFromImageBuilder",
      "DrainSessionInstance",
      "EnableUser",
      "ExpireSession",
      "StartAppBlockBuilder",
      "StartFleet",
      "StartImageBuilder",
      "StartSoftwareDeploymentToImageBuilder",
      "StopAppBlockBuilder",
      "StopFleet",
      "StopImageBuilder",
      "TagResource",
      "UntagResource",
      "UpdateAppBlockBuilder",
      "UpdateApplication",
      "UpdateDirectoryConfig",
      "UpdateEntitlement",
      "UpdateFleet",
      "UpdateImagePermissions",
      "UpdateStack",
      "UpdateThemeForStack",
    ],
  },
  "secure-browser": {
    source: "workspaces-web.amazonaws.com",
    names: [
      "AssociateBrowserSettings",
      "AssociateDataProtectionSettings",
      "AssociateIpAccessSettings",
      "AssociateNetworkSettings",
      "AssociateSessionLogger",
      "AssociateTrustStore",
      "AssociateUserAccessLoggingSettings",
      "AssociateUserSettings",
      "CreateBrowserSettings",
      "CreateDataProtectionSettings",
      "CreateIdentityProvider",
      "CreateIpAccessSettings",
      "CreateNetworkSettings",
      "CreatePortal",
      "CreateSessionLogger",
      "CreateTrustStore",
      "CreateUserAccessLoggingSettings",
      "CreateUserSettings",
      "DeleteBrowserSettings",
      "DeleteDataProtectionSettings",
      "DeleteIdentityProvider",
      "DeleteIpAccessSettings",
      "DeleteNetworkSettings",
      "DeletePortal",
      "DeleteSessionLogger",
      "DeleteTrustStore",
      "DeleteUserAccessLoggingSettings",
      "DeleteUserSettings",
      "DisassociateBrowserSettings",
      "DisassociateDataProtectionSettings",
      "DisassociateIpAccessSettings",
      "DisassociateNetworkSettings",
      "DisassociateSessionLogger",
      "DisassociateTrustStore",
      "DisassociateUserAccessLoggingSettings",
      "DisassociateUserSettings",
      "ExpireSession",
      "TagResource",
      "UntagResource",
      "UpdateBrowserSettings",
      "UpdateDataProtectionSettings",
      "UpdateIdentityProvider",
      "UpdateIpAccessSettings",
      "UpdateNetworkSettings",
      "UpdatePortal",
      "UpdateSessionLogger",
      "UpdateTrustStore",
      "UpdateUserAccessLoggingSettings",
      "UpdateUserSettings",
    ],
  },
  core: {
    source: "workspaces-instances.amazonaws.com",
    names: [
      "AssociateVolume",
      "CreateVolume",
      "CreateWorkspaceInstance",
      "DeleteVolume",
      "DeleteWorkspaceInstance",
      "DisassociateVolume",
      "TagResource",
      "UntagResource",
    ],
  },
};

/**
 * Destructive or high-impact operations. The reference's prefix list, plus Deregister (a directory
 * deregistration cuts every desktop off) and BatchDisassociate (removes users from stacks), which it
 * missed.
 */
export const HIGH_IMPACT =
  /^(Terminate|Delete|Reboot|Rebuild|Restore|Revoke|Disassociate|BatchDisassociate|Stop|Expire|Deregister)/;
/** An error code that means the caller lacked permission. */
export const DENIED = /denied|unauthorized/i;

/** Most LookupEvents calls one tool call makes (~30 s at 2 per second). */
const MAX_LOOKUP_CALLS = 60;
/** Pages (of 50 events) for an account-wide or per-source scan. */
export const SWEEP_PAGES = 12;
/** Pages for one curated event name. */
export const NAME_PAGES = 3;
/** Pages of one event source's own scan after the account-wide scan ran out (reads included). */
export const SOURCE_PAGES = 4;

/** What one paged lookup saw. */
export interface Scan {
  events: TrailEvent[];
  /** CloudTrail ran out of events: the lookup saw everything it asked for. */
  complete: boolean;
  /** Epoch ms of the oldest event seen. */
  oldest: number | null;
  failed: boolean;
}

/** The shared state of one tool call's lookups: the call budget and a stop after fatal errors. */
export class TrailRun {
  calls = 0;
  halted = false;
  constructor(readonly ctx: ToolContext, readonly region: string, readonly col: Collection) {}

  get budgetLeft(): number {
    return this.halted ? 0 : MAX_LOOKUP_CALLS - this.calls;
  }

  /** Pages through one lookup attribute, within the page cap and the call budget. */
  async scan(
    key: LookupKey,
    value: string,
    start: Date,
    end: Date,
    maxPages: number,
    enough?: (events: TrailEvent[]) => boolean,
  ): Promise<Scan> {
    const scan: Scan = { events: [], complete: false, oldest: null, failed: false };
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < maxPages && this.budgetLeft > 0; page++) {
      this.calls++;
      const out = await this.col.attempt(
        { service: "cloudtrail", operation: "LookupEvents", region: this.region },
        () => pacedLookup(this.ctx.aws, this.region, { key, value, start, end, token }, this.ctx.signal),
      );
      await this.ctx.progress(this.calls, undefined, `CloudTrail ${key}=${value}`);
      if (!out) {
        scan.failed = true;
        // The same denial, expiry or throttling would answer every further call: stop spending the budget.
        const code = this.col.errors.at(-1)?.code;
        if (code && code !== "AwsError" && code !== "InvalidInput") this.halted = true;
        return scan;
      }
      for (const e of out.Events ?? []) {
        scan.events.push(e);
        const t = e.EventTime?.getTime();
        if (t !== undefined && (scan.oldest === null || t < scan.oldest)) scan.oldest = t;
      }
      token = out.NextToken;
      if (!token) {
        scan.complete = true;
        return scan;
      }
      // A repeated token would loop: stop, but the scan did not reach the end (as the shared paginator says).
      if (seen.has(token)) return scan;
      seen.add(token);
      if (enough?.(scan.events)) return scan;
    }
    return scan;
  }
}

/** The trail services a `service` input names (Personal and Pools are both "workspaces"). */
export function parseTrailServices(value: string): TrailService[] {
  // CloudTrail records Personal and Pools under one event source.
  return parseServices(value, TRAIL_SERVICES, (id) => (id === "personal" || id === "pools" ? "workspaces" : id));
}

/** The current product name of an event, from its source (Pool operations are labelled Pools). */
export function serviceLabel(source: string | undefined, name: string | undefined): string {
  switch (source) {
    case TRAIL.workspaces.source:
      return /Pool/.test(name ?? "") ? PRODUCT.pools : PRODUCT.personal;
    case TRAIL.applications.source:
      return PRODUCT.applications;
    case TRAIL["secure-browser"].source:
      return PRODUCT["secure-browser"];
    case TRAIL.core.source:
      return PRODUCT.core;
    default:
      return source ?? "unknown";
  }
}

/** High-impact names first, so a spent budget skips the least important lookups. */
export function curatedOrder(services: readonly TrailService[]): { service: TrailService; name: string }[] {
  const all = services.flatMap((service) => TRAIL[service].names.map((name) => ({ service, name })));
  return [...all.filter((x) => HIGH_IMPACT.test(x.name)), ...all.filter((x) => !HIGH_IMPACT.test(x.name))];
}
