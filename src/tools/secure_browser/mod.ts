/** The secure-browser toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { getSecureBrowserPortalDetails } from "./get_secure_browser_portal_details.ts";
import { getSecureBrowserPortalUsage } from "./get_secure_browser_portal_usage.ts";

/** The secure-browser toolset. */
export const TOOLSET: Toolset = {
  id: "secure-browser",
  description: "WorkSpaces Secure Browser portal details and usage",
  tier: 0,
  tools: [getSecureBrowserPortalDetails, getSecureBrowserPortalUsage] as unknown as readonly ToolDef[],
};
