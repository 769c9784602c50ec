/** The security toolset: its tools and its metadata. */
import { SECURITY_TOOLS } from "../security.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The security toolset. */
export const TOOLSET: Toolset = {
  id: "security",
  description: "Security posture: encryption, IP access, egress, account settings",
  tier: 0,
  tools: [...SECURITY_TOOLS] as unknown as readonly ToolDef[],
};
