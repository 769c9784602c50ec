/** The destructive toolset: its tools and its metadata. */

import type { ToolDef, Toolset } from "../registry.ts";

/** The destructive toolset. */
export const TOOLSET: Toolset = {
  id: "destructive",
  description: "Terminate, rebuild, restore (needs --enable-writes and --enable-destructive)",
  tier: 3,
  tools: [] as unknown as readonly ToolDef[],
};
