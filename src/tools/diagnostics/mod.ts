/** The diagnostics toolset: its tools and its metadata. */
import { DIAGNOSTICS_TOOLS } from "../diagnostics.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The diagnostics toolset. */
export const TOOLSET: Toolset = {
  id: "diagnostics",
  description: "Why something is broken: desktops, pools, fleets, directories, alarms",
  tier: 0,
  tools: [...DIAGNOSTICS_TOOLS] as unknown as readonly ToolDef[],
};
