/** The utilization toolset: its tools and its metadata. */
import { UTILIZATION_TOOLS } from "../utilization.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The utilization toolset. */
export const TOOLSET: Toolset = {
  id: "utilization",
  description: "How desktops are used: utilization, running mode, rightsizing, performance",
  tier: 0,
  tools: [...UTILIZATION_TOOLS] as unknown as readonly ToolDef[],
};
