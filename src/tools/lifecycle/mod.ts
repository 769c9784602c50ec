/** The lifecycle toolset: its tools and its metadata. */

import type { ToolDef, Toolset } from "../registry.ts";

/** The lifecycle toolset. */
export const TOOLSET: Toolset = {
  id: "lifecycle",
  description: "Start/stop/reboot, running mode, pool and fleet capacity (needs --enable-writes)",
  tier: 2,
  tools: [] as unknown as readonly ToolDef[],
};
