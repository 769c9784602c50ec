/** The cost toolset: its tools and its metadata. */
import { COST_TOOLS } from "../cost.ts";
import type { ToolDef, Toolset } from "../registry.ts";

/** The cost toolset. */
export const TOOLSET: Toolset = {
  id: "cost",
  description: "What it costs: Cost Explorer spend, forecasts, comparisons, Price List prices",
  tier: 0,
  tools: [...COST_TOOLS] as unknown as readonly ToolDef[],
};
