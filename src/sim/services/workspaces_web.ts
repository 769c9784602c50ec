/**
 * Amazon WorkSpaces Secure Browser (restJson1): operations are selected by method and path;
 * members are camelCase; list calls take `maxResults` / `nextToken` query parameters.
 */
import type {
  GetBrowserSettingsResponse,
  GetDataProtectionSettingsResponse,
  GetIpAccessSettingsResponse,
  GetNetworkSettingsResponse,
  GetPortalResponse,
  GetUserSettingsResponse,
  ListIdentityProvidersResponse,
  ListPortalsResponse,
  ListSessionsResponse,
  ListTagsForResourceResponse,
  PortalSummary,
} from "@aws-sdk/client-workspaces-web";
import {
  compact,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  paginate,
  reqString,
  type RestRoute,
  SimError,
} from "./common.ts";

/** The routes of the operations answered, from the SDK's serializers (`@http` traits). */
export const routes: readonly RestRoute[] = [
  { method: "GET", path: /^\/portals\/?$/, operation: "ListPortals" },
  // The two sub-resource routes come before the greedy `{portalArn+}` of GetPortal.
  { method: "GET", path: /^\/portals\/(?<portalArn>.+)\/identityProviders$/, operation: "ListIdentityProviders" },
  { method: "GET", path: /^\/portals\/(?<portalId>[^/]+)\/sessions$/, operation: "ListSessions" },
  { method: "GET", path: /^\/portals\/(?<portalArn>.+)$/, operation: "GetPortal" },
  { method: "GET", path: /^\/userSettings\/(?<userSettingsArn>.+)$/, operation: "GetUserSettings" },
  { method: "GET", path: /^\/networkSettings\/(?<networkSettingsArn>.+)$/, operation: "GetNetworkSettings" },
  { method: "GET", path: /^\/browserSettings\/(?<browserSettingsArn>.+)$/, operation: "GetBrowserSettings" },
  { method: "GET", path: /^\/ipAccessSettings\/(?<ipAccessSettingsArn>.+)$/, operation: "GetIpAccessSettings" },
  {
    method: "GET",
    path: /^\/dataProtectionSettings\/(?<dataProtectionSettingsArn>.+)$/,
    operation: "GetDataProtectionSettings",
  },
  {
    // `{resourceArn+}` is a greedy label: the ARN's "/" arrives unescaped, ":" as %3A.
    method: "GET",
    path: /^\/tags\/(?<resourceArn>.+)$/,
    operation: "ListTagsForResource",
  },
];

// maxResults has no documented maximum; the service pages at 100 at most.
const MAX_PAGE = 100;
const NOT_FOUND = 404;

function listPortals(ctx: OpContext): ListPortalsResponse {
  const { input, region } = ctx;
  const size = optInt(input, "maxResults", 1, Number.MAX_SAFE_INTEGER) ??
    MAX_PAGE;
  const portals: PortalSummary[] = [...region.portals.values()].map((p) => {
    // PortalSummary is Portal without the encryption and status-reason members.
    const {
      statusReason: _s,
      customerManagedKey: _k,
      additionalEncryptionContext: _c,
      ...summary
    } = p;
    return summary;
  });
  const page = paginate(portals, {
    operation: "ListPortals",
    token: optString(input, "nextToken"),
    size: Math.min(size, MAX_PAGE),
    invalidTokenCode: "ValidationException",
  });
  return compact({ portals: page.items, nextToken: page.nextToken });
}

function listTagsForResource(ctx: OpContext): ListTagsForResourceResponse {
  const { input, region } = ctx;
  const arn = reqString(input, "resourceArn");
  if (!region.portals.has(arn) && !region.webTags.has(arn)) {
    throw new SimError(
      "ResourceNotFoundException",
      `Resource ${arn} not found.`,
      NOT_FOUND,
    );
  }
  return { tags: region.webTags.get(arn) ?? [] };
}

// ---------------------------------------------------------------- portal details, settings, sessions

/** The stored object under `arn`, or the service's 404 ResourceNotFoundException. */
function found<T>(map: Map<string, T>, arn: string, kind: string): T {
  const v = map.get(arn);
  if (v === undefined) throw new SimError("ResourceNotFoundException", `${kind} ${arn} not found.`, NOT_FOUND);
  return v;
}

function getPortal(ctx: OpContext): GetPortalResponse {
  const arn = reqString(ctx.input, "portalArn");
  return { portal: found(ctx.region.portals, arn, "Portal") };
}

function getUserSettings(ctx: OpContext): GetUserSettingsResponse {
  const arn = reqString(ctx.input, "userSettingsArn");
  return { userSettings: found(ctx.region.security.userSettings, arn, "User settings") };
}

function getNetworkSettings(ctx: OpContext): GetNetworkSettingsResponse {
  const arn = reqString(ctx.input, "networkSettingsArn");
  return { networkSettings: found(ctx.region.security.networkSettings, arn, "Network settings") };
}

function getBrowserSettings(ctx: OpContext): GetBrowserSettingsResponse {
  const arn = reqString(ctx.input, "browserSettingsArn");
  return { browserSettings: found(ctx.region.security.browserSettings, arn, "Browser settings") };
}

function getIpAccessSettings(ctx: OpContext): GetIpAccessSettingsResponse {
  const arn = reqString(ctx.input, "ipAccessSettingsArn");
  return { ipAccessSettings: found(ctx.region.security.ipAccessSettings, arn, "IP access settings") };
}

function getDataProtectionSettings(ctx: OpContext): GetDataProtectionSettingsResponse {
  const arn = reqString(ctx.input, "dataProtectionSettingsArn");
  return {
    dataProtectionSettings: found(ctx.region.security.dataProtectionSettings, arn, "Data protection settings"),
  };
}

function listIdentityProviders(ctx: OpContext): ListIdentityProvidersResponse {
  const { input, region } = ctx;
  const arn = reqString(input, "portalArn");
  found(region.portals, arn, "Portal");
  const size = optInt(input, "maxResults", 1, MAX_PAGE) ?? MAX_PAGE;
  const page = paginate(region.security.identityProviders.get(arn) ?? [], {
    operation: "ListIdentityProviders",
    token: optString(input, "nextToken"),
    size,
    invalidTokenCode: "ValidationException",
  });
  return compact({ identityProviders: page.items, nextToken: page.nextToken });
}

const SESSION_STATUS = new Set(["Active", "Terminated"]);

function listSessions(ctx: OpContext): ListSessionsResponse {
  const { input, region } = ctx;
  const portalId = reqString(input, "portalId");
  // The portal id is the UUID at the end of the portal ARN.
  const portal = [...region.portals.keys()].find((arn) => arn.endsWith(`/${portalId}`));
  if (!portal) throw new SimError("ResourceNotFoundException", `Portal ${portalId} not found.`, NOT_FOUND);
  const status = optString(input, "status");
  if (status !== undefined && !SESSION_STATUS.has(status)) {
    throw new SimError(
      "ValidationException",
      `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Terminated]`,
    );
  }
  const username = optString(input, "username");
  const sortBy = optString(input, "sortBy") ?? "StartTimeDescending";
  let items = [...(region.security.sessions.get(portalId) ?? [])];
  if (status !== undefined) items = items.filter((x) => x.status === status);
  if (username !== undefined) items = items.filter((x) => x.username === username);
  items.sort((a, b) => {
    const d = (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0);
    return sortBy === "StartTimeAscending" ? d : -d;
  });
  const size = optInt(input, "maxResults", 1, MAX_PAGE) ?? MAX_PAGE;
  const page = paginate(items, {
    operation: "ListSessions",
    token: optString(input, "nextToken"),
    size,
    invalidTokenCode: "ValidationException",
  });
  return compact({ sessions: page.items, nextToken: page.nextToken });
}

/** WorkSpaces Secure Browser operations by name. */
export const operations: OperationTable = {
  GetPortal: getPortal,
  GetUserSettings: getUserSettings,
  GetNetworkSettings: getNetworkSettings,
  GetBrowserSettings: getBrowserSettings,
  GetIpAccessSettings: getIpAccessSettings,
  GetDataProtectionSettings: getDataProtectionSettings,
  ListIdentityProviders: listIdentityProviders,
  ListSessions: listSessions,
  ListPortals: listPortals,
  ListTagsForResource: listTagsForResource,
};
