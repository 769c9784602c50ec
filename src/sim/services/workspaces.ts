/**
 * Amazon WorkSpaces (awsJson1_1, `WorkspacesService.<Op>`): desktops, bundles, directories,
 * pools, tags and connection status.
 */
import type {
  DescribeAccountModificationsResult,
  DescribeAccountResult,
  DescribeClientPropertiesResult,
  DescribeConnectionAliasesResult,
  DescribeIpGroupsResult,
  DescribeTagsResult,
  DescribeWorkspaceBundlesResult,
  DescribeWorkspaceDirectoriesResult,
  DescribeWorkspaceImagePermissionsResult,
  DescribeWorkspaceImagesResult,
  DescribeWorkspacesConnectionStatusResult,
  DescribeWorkspacesPoolsResult,
  DescribeWorkspacesResult,
  Workspace,
} from "@aws-sdk/client-workspaces";
import type {
  DescribeWorkspaceSnapshotsResult,
  DescribeWorkspacesPoolSessionsResult,
} from "@aws-sdk/client-workspaces";
import {
  compact,
  itemsNeeded,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  optStringList,
  paginate,
  reqString,
  SimError,
} from "./common.ts";
import { DEFAULT_CLIENT_PROPERTIES } from "../data/security.ts";
import { settling } from "./transitions.ts";
import { workspacesWrites } from "./workspaces_writes.ts";

// AWS documents Limit as 1..25 and at most 25 ids per request for every Describe* here; a
// request without Limit gets full pages of 25.
const PAGE = 25;
const INVALID = "InvalidParameterValuesException";

/**
 * The entries of `map` whose keys are among `ids` (at most 25), looked up rather than found by a
 * scan of the region; in the order asked (AWS documents no order for an id filter).
 */
function byIds<T>(map: ReadonlyMap<string, T>, ids: readonly string[]): T[] {
  return [...new Set(ids)].filter((id) => map.has(id)).map((id) => map.get(id)!);
}

function describeWorkspaces(ctx: OpContext): DescribeWorkspacesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "WorkspaceIds", 25);
  const directoryId = optString(input, "DirectoryId");
  const userName = optString(input, "UserName");
  const bundleId = optString(input, "BundleId");
  const workspaceName = optString(input, "WorkspaceName");
  const limit = optInt(input, "Limit", 1, 25) ?? PAGE;
  // AWS: "you can specify only one filter at a time" (ids, directory[+user], bundle); UserName
  // only makes sense with DirectoryId.
  const filters = [ids, directoryId, bundleId, workspaceName].filter((f) => f !== undefined);
  if (filters.length > 1) {
    throw new SimError(
      INVALID,
      "You can specify only one filter: WorkspaceIds, DirectoryId, BundleId or WorkspaceName.",
    );
  }
  if (userName !== undefined && directoryId === undefined) {
    throw new SimError(
      INVALID,
      "The UserName filter requires the DirectoryId filter.",
    );
  }
  // Looked up by id when ids are given, else one pass over the region's desktops with the filter.
  const u = userName?.toLowerCase();
  const keep = (w: Workspace) =>
    (directoryId === undefined || w.DirectoryId === directoryId) &&
    (u === undefined || w.UserName?.toLowerCase() === u) &&
    (bundleId === undefined || w.BundleId === bundleId) &&
    (workspaceName === undefined || w.WorkspaceName === workspaceName);
  const token = optString(input, "NextToken");
  // The scan stops once it has the page asked for and one more desktop (a chain's early pages scan less).
  const needed = itemsNeeded(token, "DescribeWorkspaces", limit);
  const items: Workspace[] = [];
  if (!ids && u === undefined && directoryId !== undefined) {
    // The listing's common case (one directory chain), without the general filter per desktop.
    for (const w of region.workspaces.values()) {
      if (w.DirectoryId === directoryId && items.push(w) >= needed) break;
    }
  } else {
    for (const w of ids ? byIds(region.workspaces, ids) : region.workspaces.values()) {
      if (keep(w) && items.push(w) >= needed) break;
    }
  }
  const page = paginate(items, { operation: "DescribeWorkspaces", token, size: limit });
  return compact({ Workspaces: page.items, NextToken: page.nextToken });
}

function describeWorkspaceBundles(
  ctx: OpContext,
): DescribeWorkspaceBundlesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "BundleIds", 25);
  const owner = optString(input, "Owner");
  if (ids && owner !== undefined) {
    throw new SimError(
      INVALID,
      "BundleIds and Owner cannot be specified together.",
    );
  }
  let items = [...region.bundles.values()];
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((b) => wanted.has(b.BundleId!));
  } else {
    // No Owner: the account's own bundles; "AMAZON": the public ones.
    const who = owner ?? region.account;
    items = items.filter((b) => b.Owner === who);
  }
  const page = paginate(items, {
    operation: "DescribeWorkspaceBundles",
    token: optString(input, "NextToken"),
    size: PAGE,
  });
  return compact({ Bundles: page.items, NextToken: page.nextToken });
}

function describeWorkspacesPools(
  ctx: OpContext,
): DescribeWorkspacesPoolsResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "PoolIds", 25);
  const limit = optInt(input, "Limit", 1, 25) ?? PAGE;
  let items = [...region.pools.values()];
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((p) => wanted.has(p.PoolId!));
  }
  const filters = input.Filters;
  if (Array.isArray(filters)) {
    for (const f of filters as Record<string, unknown>[]) {
      const values = (f.Values ?? []) as string[];
      const op = String(f.Operator ?? "EQUALS");
      if (f.Name !== "PoolName") {
        throw new SimError(
          "ValidationException",
          `Unsupported filter ${String(f.Name)}`,
        );
      }
      items = items.filter((p) => {
        const name = p.PoolName ?? "";
        switch (op) {
          case "EQUALS":
            return values.includes(name);
          case "NOTEQUALS":
            return !values.includes(name);
          case "CONTAINS":
            return values.some((v) => name.includes(v));
          case "NOTCONTAINS":
            return !values.some((v) => name.includes(v));
          default:
            throw new SimError(
              "ValidationException",
              `Unsupported operator ${op}`,
            );
        }
      });
    }
  }
  const page = paginate(items, {
    operation: "DescribeWorkspacesPools",
    token: optString(input, "NextToken"),
    size: limit,
  });
  return compact({ WorkspacesPools: page.items, NextToken: page.nextToken });
}

function describeTags(ctx: OpContext): DescribeTagsResult {
  const { input, region } = ctx;
  const id = reqString(input, "ResourceId");
  const known = region.tags.has(id) || region.workspaces.has(id) ||
    region.pools.has(id) || region.directories.has(id) ||
    region.bundles.has(id);
  if (!known) {
    throw new SimError(
      "ResourceNotFoundException",
      "The resource could not be found.",
    );
  }
  return { TagList: region.tags.get(id) ?? [] };
}

function describeWorkspaceDirectories(
  ctx: OpContext,
): DescribeWorkspaceDirectoriesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "DirectoryIds", 25);
  const names = optStringList(input, "WorkspaceDirectoryNames", 25);
  const limit = optInt(input, "Limit", 1, 25) ?? PAGE;
  let items = [...region.directories.values()];
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((d) => wanted.has(d.DirectoryId!));
  }
  if (names) {
    const wanted = new Set(names);
    items = items.filter((d) => wanted.has(d.WorkspaceDirectoryName ?? d.DirectoryName ?? ""));
  }
  if (Array.isArray(input.Filters)) {
    for (const f of input.Filters as Record<string, unknown>[]) {
      const values = (f.Values ?? []) as string[];
      if (f.Name === "USER_IDENTITY_TYPE") {
        items = items.filter((d) => values.includes(d.UserIdentityType ?? ""));
      } else if (f.Name === "WORKSPACE_TYPE") {
        items = items.filter((d) => values.includes(d.WorkspaceType ?? ""));
      } else {
        throw new SimError(
          "ValidationException",
          `Unsupported filter ${String(f.Name)}`,
        );
      }
    }
  }
  const page = paginate(items, {
    operation: "DescribeWorkspaceDirectories",
    token: optString(input, "NextToken"),
    size: limit,
  });
  return compact({ Directories: page.items, NextToken: page.nextToken });
}

function describeWorkspacesConnectionStatus(
  ctx: OpContext,
): DescribeWorkspacesConnectionStatusResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "WorkspaceIds", 25);
  const items = ids ? byIds(region.connections, ids) : [...region.connections.values()];
  const page = paginate(items, {
    operation: "DescribeWorkspacesConnectionStatus",
    token: optString(input, "NextToken"),
    size: PAGE,
  });
  return compact({
    WorkspacesConnectionStatus: page.items,
    NextToken: page.nextToken,
  });
}

// ---------------------------------------------------------------- snapshots and pool sessions (diagnostics)

/** Desktop states in which WorkSpaces has never taken a snapshot unless the desktop once ran. */
const NO_SNAPSHOT_STATES = new Set(["PENDING", "ERROR", "TERMINATING", "TERMINATED"]);

/**
 * Restore and rebuild snapshots of one desktop. WorkSpaces snapshots a running desktop about every
 * 12 hours, so without explicit ones a desktop that ever ran has one of each, from around its last
 * use; a desktop still PENDING, or in ERROR having never connected, has none.
 */
function describeWorkspaceSnapshots(ctx: OpContext): DescribeWorkspaceSnapshotsResult {
  const { input, region } = ctx;
  const id = reqString(input, "WorkspaceId", INVALID);
  const ws = region.workspaces.get(id);
  if (!ws) throw new SimError("ResourceNotFoundException", `The WorkSpace ${id} could not be found.`);
  const explicit = region.snapshots.get(id);
  if (explicit) return explicit;
  const last = region.connections.get(id)?.LastKnownUserConnectionTimestamp;
  if (!last && NO_SNAPSHOT_STATES.has(ws.State ?? "")) return { RebuildSnapshots: [], RestoreSnapshots: [] };
  const hour = 3_600_000;
  const at = new Date(Math.floor((last?.getTime() ?? Date.now() - 6 * hour) / hour) * hour);
  return { RebuildSnapshots: [{ SnapshotTime: at }], RestoreSnapshots: [{ SnapshotTime: at }] };
}

/** Live sessions of a pool; Limit 1–50, default 20 (the API's documented page size). */
function describeWorkspacesPoolSessions(ctx: OpContext): DescribeWorkspacesPoolSessionsResult {
  const { input, region } = ctx;
  const poolId = reqString(input, "PoolId", INVALID);
  if (!region.pools.has(poolId)) {
    throw new SimError("ResourceNotFoundException", `The pool ${poolId} could not be found.`);
  }
  const userId = optString(input, "UserId", INVALID);
  const limit = optInt(input, "Limit", 1, 50, INVALID) ?? 20;
  let items = region.poolSessions.get(poolId) ?? [];
  if (userId !== undefined) items = items.filter((s) => s.UserId === userId);
  const page = paginate(items, {
    operation: "DescribeWorkspacesPoolSessions",
    token: optString(input, "NextToken"),
    size: limit,
  });
  return compact({ Sessions: page.items, NextToken: page.nextToken });
}

// ---------------------------------------------------------------- security: IP groups, account, client, aliases

function describeIpGroups(ctx: OpContext): DescribeIpGroupsResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "GroupIds", 25);
  const limit = optInt(input, "MaxResults", 1, 25) ?? PAGE;
  let items = [...region.security.ipGroups.values()];
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((g) => wanted.has(g.groupId!));
  }
  const page = paginate(items, {
    operation: "DescribeIpGroups",
    token: optString(input, "NextToken"),
    size: limit,
  });
  return compact({ Result: page.items, NextToken: page.nextToken });
}

function describeAccount(ctx: OpContext): DescribeAccountResult {
  return { ...ctx.region.security.account };
}

function describeAccountModifications(ctx: OpContext): DescribeAccountModificationsResult {
  const { input, region } = ctx;
  const page = paginate(region.security.accountModifications, {
    operation: "DescribeAccountModifications",
    token: optString(input, "NextToken"),
    size: PAGE,
  });
  return compact({ AccountModifications: page.items, NextToken: page.nextToken });
}

function describeClientProperties(ctx: OpContext): DescribeClientPropertiesResult {
  const { input, region } = ctx;
  // AWS checks the list length (1..25) before anything else: 26 ids is a ValidationException.
  const ids = optStringList(input, "ResourceIds", 25);
  if (!ids) {
    throw new SimError(
      "ValidationException",
      "1 validation error detected: Value null at 'resourceIds' failed to satisfy constraint: Member must not be null",
    );
  }
  const missing = ids.find((id) => !region.directories.has(id));
  if (missing) {
    throw new SimError("ResourceNotFoundException", `The resource ${missing} could not be found.`);
  }
  return {
    ClientPropertiesList: ids.map((id) => ({
      ResourceId: id,
      ClientProperties: { ...(region.security.clientProperties.get(id) ?? DEFAULT_CLIENT_PROPERTIES) },
    })),
  };
}

function describeConnectionAliases(ctx: OpContext): DescribeConnectionAliasesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "AliasIds", 25);
  const resourceId = optString(input, "ResourceId");
  const limit = optInt(input, "Limit", 1, 25) ?? PAGE;
  if (ids && resourceId !== undefined) {
    throw new SimError(INVALID, "AliasIds and ResourceId cannot be specified together.");
  }
  let items = [...region.security.connectionAliases.values()];
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((a) => wanted.has(a.AliasId!));
  }
  if (resourceId !== undefined) {
    items = items.filter((a) => (a.Associations ?? []).some((x) => x.ResourceId === resourceId));
  }
  const page = paginate(items, {
    operation: "DescribeConnectionAliases",
    token: optString(input, "NextToken"),
    size: limit,
  });
  return compact({ ConnectionAliases: page.items, NextToken: page.nextToken });
}

// ---------------------------------------------------------------- images

/** DescribeWorkspaceImages: owned images and those shared with the account; ImageType narrows to one kind. */
function describeWorkspaceImages(ctx: OpContext): DescribeWorkspaceImagesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "ImageIds", 25);
  const type = optString(input, "ImageType");
  if (type !== undefined && type !== "OWNED" && type !== "SHARED") {
    throw new SimError(INVALID, `The image type ${type} is not valid.`);
  }
  let items = [...region.governance.workspaceImages.values()];
  if (ids) items = items.filter((i) => ids.includes(i.ImageId!));
  if (type === "OWNED") items = items.filter((i) => i.OwnerAccountId === region.account);
  if (type === "SHARED") items = items.filter((i) => i.OwnerAccountId !== region.account);
  const page = paginate(items, {
    operation: "DescribeWorkspaceImages",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 25) ?? PAGE,
  });
  return compact({ Images: page.items, NextToken: page.nextToken });
}

/** The accounts an owned image is shared with; an unknown image, or one the account does not own, is not found. */
function describeWorkspaceImagePermissions(ctx: OpContext): DescribeWorkspaceImagePermissionsResult {
  const { input, region } = ctx;
  const id = reqString(input, "ImageId");
  const image = region.governance.workspaceImages.get(id);
  if (!image || image.OwnerAccountId !== region.account) {
    throw new SimError("ResourceNotFoundException", "The resource could not be found.");
  }
  const shares = (region.governance.workspaceImageShares.get(id) ?? []).map((a) => ({ SharedAccountId: a }));
  const page = paginate(shares, {
    operation: "DescribeWorkspaceImagePermissions",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 25) ?? PAGE,
  });
  return compact({ ImageId: id, ImagePermissions: page.items, NextToken: page.nextToken });
}

/** WorkSpaces operations by name. */
export const operations: OperationTable = settling({
  ...workspacesWrites,
  DescribeWorkspaceSnapshots: describeWorkspaceSnapshots,
  DescribeWorkspacesPoolSessions: describeWorkspacesPoolSessions,
  DescribeIpGroups: describeIpGroups,
  DescribeAccount: describeAccount,
  DescribeAccountModifications: describeAccountModifications,
  DescribeClientProperties: describeClientProperties,
  DescribeConnectionAliases: describeConnectionAliases,
  DescribeWorkspaceImages: describeWorkspaceImages,
  DescribeWorkspaceImagePermissions: describeWorkspaceImagePermissions,
  DescribeWorkspaces: describeWorkspaces,
  DescribeWorkspaceBundles: describeWorkspaceBundles,
  DescribeWorkspacesPools: describeWorkspacesPools,
  DescribeTags: describeTags,
  DescribeWorkspaceDirectories: describeWorkspaceDirectories,
  DescribeWorkspacesConnectionStatus: describeWorkspacesConnectionStatus,
});
