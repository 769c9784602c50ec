/** The destructive toolset: its tools and its metadata. */

import type { ToolDef, Toolset } from "../registry.ts";
import { rebuildWorkspaces } from "./rebuild_workspaces.ts";
import { restoreWorkspace } from "./restore_workspace.ts";
import { terminateWorkspaces } from "./terminate_workspaces.ts";

/** The destructive toolset. */
export const TOOLSET: Toolset = {
  id: "destructive",
  description: "Terminate, rebuild, restore (needs --enable-writes and --enable-destructive)",
  tier: 3,
  tools: [terminateWorkspaces, rebuildWorkspaces, restoreWorkspace] as unknown as readonly ToolDef[],
};
