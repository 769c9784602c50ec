/** The secure-browser toolset: its tools and its metadata. */
import { SECURE_BROWSER_TOOLS } from "../secure_browser.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The secure-browser toolset. */
export const TOOLSET: Toolset = {
  id: "secure-browser",
  description: "WorkSpaces Secure Browser portal details and usage",
  tier: 0,
  tools: [...SECURE_BROWSER_TOOLS] as unknown as readonly ToolDef[],
};
