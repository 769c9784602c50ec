/** The inventory toolset: its tools and its metadata. */
import { INVENTORY_TOOLS } from "../inventory.ts";
import { HEALTH_TOOLS } from "../health.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The inventory toolset. */
export const TOOLSET: Toolset = {
  id: "inventory",
  description: "What exists: counts by state, full inventory report, CSV export, one-call health report (read-only)",
  tier: 0,
  tools: [...INVENTORY_TOOLS, ...HEALTH_TOOLS] as unknown as readonly ToolDef[],
};
