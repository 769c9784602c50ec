/**
 * Product names, legacy aliases and service identifiers.
 *
 * Output always uses the current product names; input accepts the legacy names (AppStream 2.0,
 * WorkSpaces Web) and short aliases, case-insensitively.
 */

/** The EUC services this server covers, by stable id. */
export const SERVICE_IDS = ["personal", "pools", "applications", "secure-browser", "core"] as const;
/** A stable EUC service id. */
export type ServiceId = typeof SERVICE_IDS[number];

/** Current product name of each EUC service. */
export const PRODUCT: Readonly<Record<ServiceId, string>> = {
  personal: "Amazon WorkSpaces Personal",
  pools: "Amazon WorkSpaces Pools",
  applications: "Amazon WorkSpaces Applications",
  "secure-browser": "Amazon WorkSpaces Secure Browser",
  core: "Amazon WorkSpaces Core Managed Instances",
};

/** Every spelling an administrator (or a model) might use, normalised by `normalizeAlias`. */
export const ALIASES: Readonly<Record<string, ServiceId>> = {
  personal: "personal",
  "workspaces personal": "personal",
  "amazon workspaces personal": "personal",
  workspaces: "personal",
  workspace: "personal",
  "amazon workspaces": "personal",
  desktops: "personal",
  pools: "pools",
  pool: "pools",
  "workspaces pools": "pools",
  "amazon workspaces pools": "pools",
  applications: "applications",
  application: "applications",
  apps: "applications",
  "workspaces applications": "applications",
  "amazon workspaces applications": "applications",
  appstream: "applications",
  "appstream 2.0": "applications",
  "appstream2": "applications",
  "appstream 2": "applications",
  "amazon appstream": "applications",
  "amazon appstream 2.0": "applications",
  fleets: "applications",
  "secure browser": "secure-browser",
  "secure-browser": "secure-browser",
  "workspaces secure browser": "secure-browser",
  "amazon workspaces secure browser": "secure-browser",
  "workspaces web": "secure-browser",
  "workspaces-web": "secure-browser",
  "amazon workspaces web": "secure-browser",
  web: "secure-browser",
  browser: "secure-browser",
  portals: "secure-browser",
  core: "core",
  "workspaces core": "core",
  "core managed instances": "core",
  "workspaces core managed instances": "core",
  "amazon workspaces core managed instances": "core",
  "workspaces-instances": "core",
  "workspaces instances": "core",
  "managed instances": "core",
};

function normalizeAlias(value: string): string {
  return value.trim().toLowerCase().replace(/[_\s]+/g, " ");
}

/** Maps any accepted spelling of a service to its id, or undefined when unknown. */
export function serviceFromAlias(value: string): ServiceId | undefined {
  return ALIASES[normalizeAlias(value)];
}
