/** The governance toolset: its tools and its metadata. */
import { GOVERNANCE_TOOLS } from "../governance.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The governance toolset. */
export const TOOLSET: Toolset = {
  id: "governance",
  description: "Images, application access, audit trail and service quotas",
  tier: 0,
  tools: [...GOVERNANCE_TOOLS] as unknown as readonly ToolDef[],
};
